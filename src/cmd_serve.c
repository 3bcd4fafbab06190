/* koe serve — the answering service for employees. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "koe/http.h"
#include "koe/util.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "[--listen ADDR:PORT] [--db FILE] [--key FILE] [--threads N] [--tls-cert FILE --tls-key FILE] [--max-connections N] [--per-ip N] [--timeout SECONDS]"

static const char *const C = "serve";

struct serve_args {
	struct http_config cfg;
	char addr[128];
	const char *db_opt, *key_opt, *cert, *key;
	bool listen_given;
};

/* systemd socket activation (sd_listen_fds(3)): when LISTEN_PID names this
 * process, LISTEN_FDS sockets start at fd 3. koe.socket hands over one, so
 * the service itself needs no network and no privilege to bind port 443.
 * Returns the fd, -1 when none was handed over, -2 after printing why it
 * cannot be used. The variables are removed so no child inherits them. */
static int
activation_socket(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	char *end;
	long p;
	int fd = -1;

	if (pid == NULL || fds == NULL)
		return -1;
	errno = 0;
	p = strtol(pid, &end, 10);
	if (errno == 0 && *end == '\0' && p == (long)getpid()) {
		if (strcmp(fds, "1") != 0) {
			cli_err(C, "systemd handed over %s sockets; koe serve takes one (one "
			           "ListenStream= in koe.socket)",
			        fds);
			fd = -2;
		} else {
			fd = 3;
			fcntl(fd, F_SETFD, FD_CLOEXEC);
		}
	}
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return fd;
}

/* The address of a socket handed over, for the line saying where koe
 * listens. */
static void
socket_address(int fd, char *addr, size_t cap)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);
	snprintf(addr, cap, "?");
	if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return;
	if (a.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&a)->sin6_addr, addr, (socklen_t)cap);
	else if (a.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&a)->sin_addr, addr, (socklen_t)cap);
}

/* Serves until SIGINT or SIGTERM. */
static int
serve(struct serve_args *a)
{
	struct http_config *cfg = &a->cfg;
	struct http_server *srv = NULL;
	const char *cert = a->cert, *key = a->key;
	char keybuf[PATH_MAX];
	struct koe_msg msg;
	char *cert_pem = NULL, *key_pem = NULL;
	size_t len;
	sigset_t set;
	int sig, status = 1;

	cfg->listen_addr = a->addr;
	cfg->db_path = cli_db_path(a->db_opt);
	cfg->key_path = cli_key_path(a->key_opt, cfg->db_path, keybuf, sizeof(keybuf));
	if (access(cfg->db_path, F_OK) != 0) {
		cli_err(C, "no database at '%s' (open a survey first with 'koe open', or give --db FILE)",
		        cfg->db_path);
		goto done;
	}
	if (cert) {
		const char *bad = util_read_file(cert, 1 << 20, &cert_pem, &len) != KOE_OK ? cert
		                  : util_read_file(key, 1 << 20, &key_pem, &len) != KOE_OK ? key
		                                                                              : NULL;
		if (bad) {
			cli_err(C, "cannot read '%s': %s", bad, errno ? strerror(errno) : "too large");
			goto done;
		}
		cfg->tls_cert_pem = cert_pem;
		cfg->tls_key_pem = key_pem;
	}

	/* Signals are taken by sigwait() below, never by a request thread:
	 * block them before any thread starts. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (http_start(cfg, &srv, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		goto done;
	}
	if (cfg->listen_fd >= 0)
		socket_address(cfg->listen_fd, a->addr, sizeof(a->addr));
	printf("koe serve: listening on %s://%s%s%s:%u%s\n", cert ? "https" : "http",
	       strchr(a->addr, ':') ? "[" : "", a->addr, strchr(a->addr, ':') ? "]" : "",
	       (unsigned)http_port(srv), cfg->listen_fd >= 0 ? " (socket from systemd)" : "");
	fflush(stdout);
	while (sigwait(&set, &sig) != 0 || (sig != SIGINT && sig != SIGTERM))
		;
	fprintf(stderr, "koe serve: stopping (finishing requests in flight)\n");
	http_stop(srv);
	fprintf(stderr, "koe serve: stopped\n");
	status = 0;
done:
	if (key_pem) {
		memset(key_pem, 0, strlen(key_pem));
		free(key_pem);
	}
	free(cert_pem);
	return status;
}

int
cli_serve(const char *listen, const char *db_path, const char *key_path)
{
	struct serve_args a = {.db_opt = db_path, .key_opt = key_path};

	http_config_defaults(&a.cfg);
	if (cli_parse_listen(listen, a.addr, sizeof(a.addr), &a.cfg.port) != 0) {
		cli_err(C, "--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
		return 2;
	}
	return serve(&a);
}

static int
cmd_serve_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"db", required_argument, NULL, 'd'},
		{"key", required_argument, NULL, 'k'},
		{"threads", required_argument, NULL, 't'},
		{"max-connections", required_argument, NULL, 'm'},
		{"per-ip", required_argument, NULL, 'p'},
		{"timeout", required_argument, NULL, 'o'},
		{"tls-cert", required_argument, NULL, 'c'},
		{"tls-key", required_argument, NULL, 'K'},
		{NULL, 0, NULL, 0},
	};
	struct serve_args a = {0};
	struct http_config *cfg = &a.cfg;
	int c;

	http_config_defaults(cfg);
	snprintf(a.addr, sizeof(a.addr), "%s", cfg->listen_addr);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		unsigned long v = optarg ? strtoul(optarg, &end, 10) : 0;
		bool num_ok = optarg && *optarg && *end == '\0' && v < 100000;
		switch (c) {
		case 'l':
			if (cli_parse_listen(optarg, a.addr, sizeof(a.addr), &cfg->port) != 0) {
				cli_err(C, "--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
				return 2;
			}
			a.listen_given = true;
			break;
		case 'd': a.db_opt = optarg; break;
		case 'k': a.key_opt = optarg; break;
		case 'c': a.cert = optarg; break;
		case 'K': a.key = optarg; break;
		case 't':
		case 'm':
		case 'p':
		case 'o':
			if (!num_ok) {
				cli_err(C, "'%s' is not a number", optarg);
				return 2;
			}
			if (c == 't')
				cfg->threads = (unsigned)v;
			else if (c == 'm')
				cfg->max_connections = (unsigned)v;
			else if (c == 'p')
				cfg->max_per_ip = (unsigned)v;
			else
				cfg->timeout_s = (unsigned)v;
			break;
		default:
			return cli_usage("serve", USAGE, NULL);
		}
	}
	if (optind != argc)
		return cli_usage_extra("serve", USAGE, argv[optind]);
	if ((a.cert == NULL) != (a.key == NULL))
		return cli_usage("serve", USAGE, "give both --tls-cert and --tls-key, or neither");
	if ((cfg->listen_fd = activation_socket()) == -2)
		return 1;
	if (cfg->listen_fd >= 0 && a.listen_given)
		return cli_usage("serve", USAGE, "systemd handed over the socket to listen on: "
		                                 "leave out --listen (set ListenStream= in koe.socket)");
	return serve(&a);
}

const struct cli_command cmd_serve = {
	.name = "serve",
	.summary = "answer employees over HTTP(S)",
	.help =
	"usage: koe serve [--listen ADDR:PORT] [--db FILE] [--key FILE] [--threads N]\n"
	"                 [--tls-cert FILE --tls-key FILE] [--max-connections N]\n"
	"                 [--per-ip N] [--timeout SECONDS]\n"
	"\n"
	"Serves the employees' pages and the token and answer API of every survey in\n"
	"the database until SIGINT or SIGTERM, then finishes the requests in flight\n"
	"and exits 0. It logs no addresses, browsers, links, tokens or answers.\n"
	"\n"
	"  --listen ADDR:PORT   default 127.0.0.1:8080 (use a reverse proxy or TLS\n"
	"                       to publish it); started by systemd with a socket\n"
	"                       (contrib/koe.socket), koe serves on that socket\n"
	"  --threads N          request threads (default: one per CPU)\n"
	"  --tls-cert, --tls-key  PEM files: serve HTTPS\n"
	"  --max-connections N  default 1024; --per-ip N  default 64 (0: no limit)\n"
	"  --timeout SECONDS    a request must arrive whole within this, and idle\n"
	"                       connections are closed after it (default 15)\n",
	.run = cmd_serve_run,
};
