"""The client's scenes. Each reads what it shows from the app or a Session
view, draws it, and turns clicks and keys into calls; none decides a rule."""
