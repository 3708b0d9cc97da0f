-- The DM channel Harbor last used for each member, so a DM costs one request instead of two
-- (discord.py keeps only 128 DM channels in memory). Erased by /mydata delete.
CREATE TABLE dm_channels (
    user_id    INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL
);
