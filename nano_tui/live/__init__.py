"""From the loop's events to what a live view shows: the growing trajectory (the replay model, fed
message by message, plus the reply still streaming) and the state only a running loop has. No Textual:
the screen reads these objects on its own frame timer."""
