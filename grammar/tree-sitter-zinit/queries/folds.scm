; Groups and multi-line argv lists fold.
(block) @fold
(argv) @fold
