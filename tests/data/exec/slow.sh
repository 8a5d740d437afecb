#!/bin/sh
# Fake exec credential plugin: never answers in time.
echo "waiting for the device code login..." >&2
sleep 30
