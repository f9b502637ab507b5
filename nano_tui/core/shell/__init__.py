"""Running the model's shell commands: where (a backend: bubblewrap sandbox, local bash, a Docker or
Apptainer container), in bounded memory, and with everything a command started killed when it ends."""

#: Where the model's commands can run (``--backend``); here, so the command line loads no backend.
BACKENDS = ("sandbox", "local", "docker", "apptainer")
