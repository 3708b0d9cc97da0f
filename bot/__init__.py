"""Harbor: a Discord bot for peer-support networks."""
