"""The pygame client: scenes that read a ``Session``'s views and send actions.

Nothing here decides what is legal; ``game.rules`` does (locally through
``LocalSession``, online through the server). Importing this package does
not import pygame: the modules that need it import it themselves.
"""
