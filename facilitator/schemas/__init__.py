"""marshmallow schemas: *In to load what clients send, *Out to dump what each role may see."""
