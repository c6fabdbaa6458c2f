// SPDX-License-Identifier: GPL-2.0-only
#include "vm/vm.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/fsutil.h"
#include "base/kvconf.h"
#include "base/spawn.h"
#include "sysfs/sysroot.h"

#define SCRATCH_BYTES (64ull << 20)
#define MAX_ARGS 64

int vm_platform_load(struct vm_platform *p, const char *dir, const char *name,
		     FILE *err)
{
	static const char *const keys[] = {
		"description", "machine", "iommu", "append", "skip", NULL
	};
	const struct { const char *key; char *dst; size_t len; } fields[] = {
		{ "description", p->description, sizeof(p->description) },
		{ "machine", p->machine, sizeof(p->machine) },
		{ "iommu", p->iommu, sizeof(p->iommu) },
		{ "append", p->append, sizeof(p->append) },
		{ "skip", p->skip, sizeof(p->skip) },
	};
	struct kvconf c;
	int ret;

	memset(p, 0, sizeof(*p));
	if (strchr(name, '/'))
		path_fmt(p->path, sizeof(p->path), "%s", name);
	else
		path_fmt(p->path, sizeof(p->path), "%s/%s.conf", dir, name);
	ret = kvconf_load(&c, p->path, err);
	if (ret)
		return ret;
	ret = kvconf_check_keys(&c, keys, err);
	for (size_t i = 0; !ret && i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = kvconf_get(&c, fields[i].key);

		if (v && strlen(v) >= fields[i].len) {
			fprintf(err, "%s: value of '%s' longer than %zu bytes\n",
				p->path, fields[i].key, fields[i].len - 1);
			ret = -EINVAL;
		} else if (v) {
			strcpy(fields[i].dst, v);
		}
	}
	if (!ret && !p->machine[0]) {
		fprintf(err, "%s: expected a 'machine = ...' line\n", p->path);
		ret = -EINVAL;
	}
	kvconf_free(&c);
	if (!ret) {
		const char *base = strrchr(p->path, '/');
		char *dot;

		snprintf(p->name, sizeof(p->name), "%.*s", (int)sizeof(p->name) - 1,
			 base ? base + 1 : p->path);
		dot = strstr(p->name, ".conf");
		if (dot)
			*dot = '\0';
	}
	return ret;
}

/* Single-quote a word for sh: ' becomes '\''. */
static void sh_quote(FILE *f, const char *w)
{
	fputc('\'', f);
	for (; *w; w++) {
		if (*w == '\'')
			fputs("'\\''", f);
		else
			fputc(*w, f);
	}
	fputc('\'', f);
}

/* The guest's init runs out/cmd with sh; see vm/guest-init. */
static int write_cmd(const char *outdir, const char *srcdir, char *const argv[])
{
	char path[PATH_MAX], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	if (!f)
		return -errno;
	fputs("cd ", f);
	sh_quote(f, srcdir);
	fputs(" || exit 125\n", f);
	for (int i = 0; argv[i]; i++) {
		if (i)
			fputc(' ', f);
		sh_quote(f, argv[i]);
	}
	fputc('\n', f);
	fclose(f);
	path_fmt(path, sizeof(path), "%s/cmd", outdir);
	ret = write_file_atomic(path, buf, len) ? -errno : 0;
	free(buf);
	/* guest-init keeps this directory visible if it is under /tmp. */
	path_fmt(path, sizeof(path), "%s/cwd", outdir);
	if (!ret && write_file_atomic(path, srcdir, strlen(srcdir)))
		ret = -errno;
	return ret;
}

static int make_scratch(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)SCRATCH_BYTES))
		ret = -errno;
	close(fd);
	return ret;
}

struct argv_buf {
	char *v[MAX_ARGS + 1];
	char store[MAX_ARGS][1024];
	int n;
};

static void arg(struct argv_buf *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void arg(struct argv_buf *a, const char *fmt, ...)
{
	va_list ap;

	if (a->n >= MAX_ARGS)
		abort();	/* a bug in the fixed list below, not input */
	va_start(ap, fmt);
	vsnprintf(a->store[a->n], sizeof(a->store[a->n]), fmt, ap);
	va_end(ap);
	a->v[a->n] = a->store[a->n];
	a->v[++a->n] = NULL;
}

/*
 * The lab's fixed devices sit at fixed addresses so the suites can name
 * them: NVMe 00:04.0 (scratch image), e1000e 00:05.0, edu 00:06.0. Behind
 * a PCIe-to-PCI bridge at 00:07.0, a second edu (01:01.0) and a virtio-rng
 * (01:02.0, driven by virtio-pci) share one IOMMU group, as every device
 * behind such a bridge does: the lab's non-viable group. The vIOMMU comes
 * first: QEMU wants it before any device it translates.
 */
static void build_argv(struct argv_buf *a, const struct vm_platform *p,
		       const struct vm_run *r, const char *scratch,
		       const char *init)
{
	arg(a, "qemu-system-x86_64");
	arg(a, "-M");
	arg(a, "%s", p->machine);
	arg(a, "-accel");
	arg(a, "tcg");
	arg(a, "-m");
	arg(a, "1024");
	arg(a, "-nodefaults");
	arg(a, "-no-reboot");
	arg(a, "-display");
	arg(a, "none");
	arg(a, "-chardev");
	arg(a, "file,id=con,path=%s", r->console);
	arg(a, "-serial");
	arg(a, "chardev:con");
	if (p->iommu[0]) {
		arg(a, "-device");
		arg(a, "%s", p->iommu);
	}
	arg(a, "-kernel");
	arg(a, "%s", r->kernel);
	/*
	 * no_timer_check: at boot the kernel spins 40e9/HZ TSC cycles (about
	 * 60 ms here) and panics if fewer than 5 timer ticks arrived through
	 * the interrupt-remapped IO-APIC (arch/x86/kernel/apic/io_apic.c
	 * timer_irq_works()); a TCG vCPU on a loaded host misses that, and
	 * did: "timer doesn't work through Interrupt-remapped IO-APIC", 3
	 * guests of 39 with four booting at once beside other work.
	 */
	arg(a, "-append");
	arg(a, "console=ttyS0 root=host0 rootfstype=9p "
	    "rootflags=trans=virtio,version=9p2000.L,cache=loose ro "
	    "init=%s panic=-1 no_timer_check %s", init, p->append);
	/*
	 * multidevs=remap: the host's / spans several file systems. Without
	 * it, qids of host mount points (/proc, /sys) collide and change, the
	 * guest revalidates those dentries, and the guest's own mounts on
	 * them vanish.
	 */
	arg(a, "-fsdev");
	arg(a, "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap");
	arg(a, "-device");
	arg(a, "virtio-9p-pci,fsdev=root,mount_tag=host0,addr=0x2");
	arg(a, "-fsdev");
	arg(a, "local,id=out,path=%s,security_model=none", r->outdir);
	arg(a, "-device");
	arg(a, "virtio-9p-pci,fsdev=out,mount_tag=out,addr=0x3");
	arg(a, "-drive");
	arg(a, "file=%s,if=none,id=scratch,format=raw", scratch);
	arg(a, "-device");
	arg(a, "nvme,drive=scratch,serial=snoopscratch,addr=0x4");
	arg(a, "-device");
	arg(a, "e1000e,addr=0x5");
	arg(a, "-device");
	arg(a, "edu,addr=0x6");
	arg(a, "-device");
	arg(a, "pcie-pci-bridge,id=bridge,addr=0x7");
	arg(a, "-device");
	arg(a, "edu,bus=bridge,addr=0x1");
	arg(a, "-device");
	arg(a, "virtio-rng-pci,bus=bridge,addr=0x2");
}

int vm_run(const struct vm_platform *p, char *const argv[], struct vm_run *r,
	   FILE *err)
{
	char scratch[PATH_MAX], init[PATH_MAX], qlog[PATH_MAX], spath[PATH_MAX];
	char *console;
	struct argv_buf *a;
	struct spawn_result sr;
	double t0;
	int ret, qrc;

	r->status = -1;
	r->timed_out = false;
	memset(&r->findings, 0, sizeof(r->findings));
	path_fmt(r->console, sizeof(r->console), "%s/console.log", r->outdir);
	path_fmt(scratch, sizeof(scratch), "%s/.scratch.img", r->outdir);
	path_fmt(init, sizeof(init), "%s/vm/guest-init", r->srcdir);
	path_fmt(qlog, sizeof(qlog), "%s/qemu.log", r->outdir);
	path_fmt(spath, sizeof(spath), "%s/status", r->outdir);
	unlink(spath);

	ret = write_cmd(r->outdir, r->srcdir, argv);
	if (!ret)
		ret = make_scratch(scratch);
	if (ret) {
		fprintf(err, "vm: preparing %s: %s\n", r->outdir, strerror(-ret));
		return ret;
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	build_argv(a, p, r, scratch, init);
	/*
	 * qemu from PATH, its output in the log, killed at the deadline.
	 * spawn_run puts it in a process group of its own, out of reach of
	 * a terminal's ^C; die_with_parent still takes it down with us.
	 */
	t0 = monotonic_s();
	ret = spawn_run(a->v, &(struct spawn_opts){
				.stdin_path = "/dev/null",
				.stdout_path = qlog,
				.stderr_path = qlog,
				.timeout_s = r->timeout_s,
				.search_path = true,
				.die_with_parent = true,
			}, &sr);
	free(a);
	if (ret) {
		fprintf(err, "vm: cannot start qemu: %s\n", strerror(-ret));
		return ret;
	}
	r->timed_out = sr.timed_out;
	qrc = sr.exit_status;	/* -1 when killed */
	r->seconds = monotonic_s() - t0;
	unlink(scratch);

	console = read_file(r->console, NULL);
	if (console) {
		klog_scan(console, &r->findings);
		free(console);
	}
	if (!r->timed_out) {
		char *s = read_file(spath, NULL);

		if (s) {
			r->status = atoi(s);
			free(s);
		} else {
			fprintf(err, "vm: %s: guest left no status (qemu exit %d); see %s and %s\n",
				p->name, qrc, r->console, qlog);
		}
	}
	return 0;
}

void vm_run_free(struct vm_run *r)
{
	klog_findings_free(&r->findings);
}
