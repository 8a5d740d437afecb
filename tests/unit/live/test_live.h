/* The live source's unit tests: one runner, a test case per file. */
#ifndef OSMDIAG_TEST_LIVE_H
#define OSMDIAG_TEST_LIVE_H

#include <check.h>

void live_add_kubeconfig_tests(Suite *s);
void live_add_exec_tests(Suite *s);

#endif
