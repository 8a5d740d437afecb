#!/bin/sh
# Fake exec credential plugin: floods stdout (2 MiB, more than the 1 MiB cap).
head -c 2097152 /dev/zero | tr '\0' 'a'
