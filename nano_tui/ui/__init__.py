"""The Textual app: screens, widgets and styles. Imports no litellm."""
