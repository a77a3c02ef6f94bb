"""The Heartlight server: an asyncio websockets shell around the rules.

    heartlight server --port 8765 --db rooms.db

``server.app`` runs it (``serve``, ``serve_forever``, ``run_in_thread``);
``server.hub`` and ``server.room`` hold the rooms; ``server.store`` keeps
them durable. Nothing in this package is imported by ``game.rules``.
"""

__version__ = "0.1.0"
