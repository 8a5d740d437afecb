#!/bin/sh
# Fake exec credential plugin: prints something that is not JSON (and must not be echoed back).
echo "secret-looking-output-123"
