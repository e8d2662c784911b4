/*
 * podlab pause: the infrastructure process of a pod sandbox.
 * Holds the pod's namespaces open by sleeping in pause(), reaps any
 * children re-parented to it (it is PID 1 when the pod shares a PID
 * namespace), and exits cleanly on SIGINT or SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig) {
	(void)sig;
	_exit(0);
}

static void on_child(int sig) {
	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0) {
	}
}

static int handle(int sig, void (*fn)(int), int flags) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv) {
	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		puts("podlab-pause 3.10");
		return 0;
	}
	if (getpid() != 1) {
		fprintf(stderr, "podlab-pause: warning: not running as PID 1\n");
	}
	if (handle(SIGINT, on_stop, 0) || handle(SIGTERM, on_stop, 0) ||
	    handle(SIGCHLD, on_child, SA_NOCLDSTOP | SA_RESTART)) {
		perror("podlab-pause: sigaction");
		return 1;
	}
	for (;;) {
		pause();
	}
	return 1;
}
