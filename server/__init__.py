"""The Heartlight server: an asyncio websockets shell around the rules."""
