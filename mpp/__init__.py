"""The launcher, above everything it starts: the `mpp` command (cli), the demo (demo/) and
the embedded MQTT broker (broker). Nothing below imports it."""
