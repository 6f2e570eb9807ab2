"""One module per `gates` command: each runs the pipeline and formats what it needs."""
