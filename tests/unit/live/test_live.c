/* Runner of the live source's unit tests (kubeconfig, exec plugins, fetch errors). */
#include "harness.h"
#include "test_live.h"

int main(void)
{
	Suite *s = suite_create("live");

	live_add_kubeconfig_tests(s);
	live_add_exec_tests(s);
	return th_main(s);
}
