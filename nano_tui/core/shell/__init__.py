"""Running the model's shell commands: where (a backend: bubblewrap sandbox, local bash, a Docker or
Apptainer container), in bounded memory, and with everything a command started killed when it ends."""
