"""The trajectory model, log loaders, run discovery and export. No Textual, no litellm."""
