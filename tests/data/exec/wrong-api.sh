#!/bin/sh
# Fake exec credential plugin: answers v1beta1 whatever was asked.
printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"wrong-api-token"}}\n'
