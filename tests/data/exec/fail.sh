#!/bin/sh
# Fake exec credential plugin: fails like kubelogin without a login.
echo "Error: failed to get token: AADSTS70043: The refresh token has expired" >&2
echo "run az login first" >&2
exit 3
