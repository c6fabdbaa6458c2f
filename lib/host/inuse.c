// SPDX-License-Identifier: GPL-2.0-only
#include "host/inuse.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <linux/virtio_ids.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfs/sysroot.h"

/* Append one reason; "; " between reasons; silently cut at len. */
static void say(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *why, size_t len, const char *fmt, ...)
{
	size_t used = strlen(why);
	va_list ap;

	if (used && used + 2 < len) {
		strcpy(why + used, "; ");
		used += 2;
	}
	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
}

/*
 * A whole /proc table through sysroot. sysfs_read stops at its buffer, so
 * grow until the text is shorter than the buffer: a cut-off mount table
 * would hide the very mount we look for. NULL with *err = -errno.
 */
static char *read_table(const char *path, int *err)
{
	size_t len = 64 * 1024;

	for (;;) {
		char *buf = malloc(len);
		int ret;

		if (!buf) {
			*err = -ENOMEM;
			return NULL;
		}
		ret = sysfs_read(path, buf, len);
		if (ret) {
			free(buf);
			*err = ret;
			return NULL;
		}
		if (strlen(buf) < len - 2)
			return buf;
		free(buf);
		len *= 4;
	}
}

/* Is a sysfs link target (relative or absolute) at or below the device? */
static bool under_bdf(const char *target, const char *bdf)
{
	size_t n = strlen(bdf);

	for (const char *p = strstr(target, bdf); p; p = strstr(p + 1, bdf))
		if (p > target && p[-1] == '/' && (p[n] == '/' || !p[n]))
			return true;
	return false;
}

/*
 * An NVMe multipath head disk hangs off the subsystem, not the controller:
 * it is ours when the subsystem links one of our controllers.
 */
static bool nvme_subsystem_has(const char *target, const char *bdf)
{
	const char *s = strstr(target, "/nvme-subsystem/");
	char subsys[64], path[PATH_MAX], link[PATH_MAX];
	char **names;
	bool found = false;
	int n;

	if (!s)
		return false;
	s += strlen("/nvme-subsystem/");
	n = (int)strcspn(s, "/");
	if (n <= 0 || n >= (int)sizeof(subsys))
		return false;
	memcpy(subsys, s, (size_t)n);
	subsys[n] = '\0';
	path_fmt(path, sizeof(path), "/sys/class/nvme-subsystem/%s", subsys);
	n = sysfs_list(path, &names);
	if (n < 0)
		return false;
	for (int i = 0; i < n && !found; i++) {
		path_fmt(path, sizeof(path), "/sys/class/nvme-subsystem/%s/%s",
			 subsys, names[i]);
		found = !sysfs_link_target(path, link, sizeof(link)) &&
			under_bdf(link, bdf);
	}
	sysfs_list_free(names);
	return found;
}

/*
 * Is /sys/class/CLASS/NAME a device below the PCI function? Class links
 * find it wherever the bus put it: nvme/nvme0/nvme0n1, virtio2/net/eth0,
 * an NVMe multipath head under its subsystem.
 */
static bool class_dev_under(const char *class, const char *name, const char *bdf)
{
	char path[PATH_MAX], target[PATH_MAX];

	path_fmt(path, sizeof(path), "/sys/class/%s/%s", class, name);
	if (sysfs_link_target(path, target, sizeof(target)))
		return false;
	return under_bdf(target, bdf) || nvme_subsystem_has(target, bdf);
}

/* /proc/self/mountinfo: "id parent MAJ:MIN root mountpoint opts... - fstype source super" */
static void check_mounts(const char *mountinfo, const char *name, const char *dev,
			 char *why, size_t len, int *n)
{
	char devnode[PATH_MAX];
	const char *line = mountinfo;

	path_fmt(devnode, sizeof(devnode), "/dev/%s", name);
	while (line && *line) {
		char majmin[32] = "", mnt[PATH_MAX] = "", source[PATH_MAX] = "";
		const char *sep = strstr(line, " - ");
		const char *eol = strchr(line, '\n');

		if (sscanf(line, "%*s %*s %31s %*s %4095s", majmin, mnt) == 2 &&
		    sep && (!eol || sep < eol))
			sscanf(sep + 3, "%*s %4095s", source);
		if ((dev[0] && !strcmp(majmin, dev)) || !strcmp(source, devnode)) {
			say(why, len, "%s has a filesystem mounted on %s", name, mnt);
			(*n)++;
		}
		line = eol ? eol + 1 : NULL;
	}
}

/* /proc/swaps: a header, then "Filename Type Size Used Priority". */
static void check_swaps(const char *swaps, const char *name, char *why,
			size_t len, int *n)
{
	char devnode[PATH_MAX];
	const char *line = swaps ? strchr(swaps, '\n') : NULL;

	path_fmt(devnode, sizeof(devnode), "/dev/%s", name);
	while (line && *++line) {
		char file[PATH_MAX];

		if (sscanf(line, "%4095s", file) == 1 && !strcmp(file, devnode)) {
			say(why, len, "%s is active swap", name);
			(*n)++;
		}
		line = strchr(line, '\n');
	}
}

static void check_holders(const char *name, char *why, size_t len, int *n)
{
	char path[PATH_MAX];
	char **holders;
	int k;

	path_fmt(path, sizeof(path), "/sys/class/block/%s/holders", name);
	k = sysfs_list(path, &holders);
	for (int i = 0; i < k; i++) {
		say(why, len, "%s is held by %s (device-mapper, md or similar)",
		    name, holders[i]);
		(*n)++;
	}
	if (k >= 0)
		sysfs_list_free(holders);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* A device node of the function: "/dev/nvme0n1", "/dev/dri/card0". */
struct devnode {
	char path[NAME_MAX + 16];	/* a dirent name fits: path_fmt never cuts */
};

/*
 * Which processes hold one of nodes[] open? A VM's disk, nvme-cli on the
 * controller, a compositor on a render node: none mounts or configures
 * anything, an open file is all there is to see. what names the kind in
 * the reason when other users' files are hidden from us.
 */
static int open_by_process(const struct devnode *nodes, int n_nodes,
			   const char *what, char *why, size_t len)
{
	char **pids;
	int n, hidden = 0, found = 0;

	n = sysfs_list("/proc", &pids);
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX], target[PATH_MAX], comm[64];
		char **fds;
		int k;

		if (!all_digits(pids[i]))
			continue;
		path_fmt(path, sizeof(path), "/proc/%s/fd", pids[i]);
		k = sysfs_list(path, &fds);
		if (k == -EACCES || k == -EPERM)
			hidden++;
		for (int f = 0; f < k; f++) {
			path_fmt(path, sizeof(path), "/proc/%s/fd/%s", pids[i], fds[f]);
			if (sysfs_link_target(path, target, sizeof(target)))
				continue;
			for (int d = 0; d < n_nodes; d++) {
				if (strcmp(target, nodes[d].path))
					continue;
				path_fmt(path, sizeof(path), "/proc/%s/comm", pids[i]);
				if (sysfs_read(path, comm, sizeof(comm)))
					strcpy(comm, "?");
				say(why, len, "pid %s (%s) has %s open", pids[i], comm, target);
				found++;
				break;
			}
		}
		if (k >= 0)
			sysfs_list_free(fds);
	}
	if (n >= 0)
		sysfs_list_free(pids);
	if (hidden && !found) {
		say(why, len, "cannot see the open files of %d processes (run as root): %s cannot be ruled out",
		    hidden, what);
		found++;
	}
	return found;
}

int inuse_block(const char *bdf, char *why, size_t len)
{
	struct devnode *nodes;
	char **names;
	char *mounts, *swaps;
	int n, err, n_nodes = 0, found = 0;

	why[0] = '\0';
	n = sysfs_list("/sys/class/block", &names);
	if (n <= 0)
		return 0;	/* no block layer, no block devices */
	mounts = read_table("/proc/self/mountinfo", &err);
	if (!mounts) {
		say(why, len, "cannot read /proc/self/mountinfo (%s): mounts cannot be ruled out",
		    strerror(-err));
		sysfs_list_free(names);
		return 1;
	}
	nodes = calloc((size_t)n, sizeof(*nodes));
	if (!nodes) {
		say(why, len, "out of memory: block device users cannot be ruled out");
		free(mounts);
		sysfs_list_free(names);
		return 1;
	}
	swaps = read_table("/proc/swaps", &err);	/* absent: no swap support */
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX], dev[32] = "";

		if (!class_dev_under("block", names[i], bdf))
			continue;
		/* hidden NVMe path disks have no dev: only their head is mounted */
		path_fmt(path, sizeof(path), "/sys/class/block/%s/dev", names[i]);
		sysfs_read(path, dev, sizeof(dev));
		check_mounts(mounts, names[i], dev, why, len, &found);
		check_swaps(swaps, names[i], why, len, &found);
		check_holders(names[i], why, len, &found);
		if (dev[0])	/* no dev, no node in /dev to open */
			path_fmt(nodes[n_nodes++].path, sizeof(nodes->path),
				 "/dev/%s", names[i]);
	}
	if (n_nodes)
		found += open_by_process(nodes, n_nodes, "block device users", why, len);
	free(nodes);
	free(mounts);
	free(swaps);
	sysfs_list_free(names);
	return found > 0;
}

/*
 * The controller (/dev/nvme0) and generic namespace (/dev/ng0n1) character
 * devices: nvme-cli, a VM or fio passing commands through. No filesystem
 * or holder shows for them, only the open file.
 */
int inuse_nvme_char(const char *bdf, char *why, size_t len)
{
	static const char *const classes[] = { "nvme", "nvme-generic" };
	struct devnode *nodes = NULL, *more;
	int n_nodes = 0, found = 0;

	why[0] = '\0';
	for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		char dir[64];
		char **names;
		int n;

		path_fmt(dir, sizeof(dir), "/sys/class/%s", classes[c]);
		n = sysfs_list(dir, &names);
		if (n < 0)
			continue;	/* no NVMe driver, or none with generic nodes */
		more = realloc(nodes, (size_t)(n_nodes + n + 1) * sizeof(*nodes));
		if (!more) {
			sysfs_list_free(names);
			free(nodes);
			say(why, len, "out of memory: NVMe character device users cannot be ruled out");
			return 1;
		}
		nodes = more;
		for (int i = 0; i < n; i++)
			if (class_dev_under(classes[c], names[i], bdf))
				path_fmt(nodes[n_nodes++].path, sizeof(nodes->path),
					 "/dev/%s", names[i]);
		sysfs_list_free(names);
	}
	if (n_nodes)
		found = open_by_process(nodes, n_nodes, "NVMe character device users",
					why, len);
	free(nodes);
	return found > 0;
}

static bool iface_up(const char *ifname)
{
	char path[PATH_MAX], buf[64];
	uint64_t flags;

	path_fmt(path, sizeof(path), "/sys/class/net/%s/flags", ifname);
	if (!sysfs_read_u64(path, 16, &flags))
		return flags & IFF_UP;
	path_fmt(path, sizeof(path), "/sys/class/net/%s/operstate", ifname);
	return !sysfs_read(path, buf, sizeof(buf)) && !strcmp(buf, "up");
}

/* IPv6 link-local (fe80::/10) and multicast (ff00::/8), as 32 hex digits. */
static bool v6_incidental(const char *hex)
{
	return !strncasecmp(hex, "fe8", 3) || !strncasecmp(hex, "fe9", 3) ||
	       !strncasecmp(hex, "fea", 3) || !strncasecmp(hex, "feb", 3) ||
	       !strncasecmp(hex, "ff", 2);
}

/* Live only: getifaddrs() asks the kernel, which a recorded tree cannot. */
static bool live_address(const char *ifname, char *addr, size_t len)
{
	struct ifaddrs *ifa, *p;
	bool found = false;

	if (sysroot_replay_dir() || getifaddrs(&ifa))
		return false;
	for (p = ifa; p && !found; p = p->ifa_next) {
		if (!p->ifa_addr || strcmp(p->ifa_name, ifname))
			continue;
		if (p->ifa_addr->sa_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)p->ifa_addr)->sin_addr,
				  addr, (socklen_t)len);
			found = true;
		} else if (p->ifa_addr->sa_family == AF_INET6) {
			struct in6_addr *a = &((struct sockaddr_in6 *)p->ifa_addr)->sin6_addr;

			if (IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MULTICAST(a))
				continue;
			inet_ntop(AF_INET6, a, addr, (socklen_t)len);
			found = true;
		}
	}
	freeifaddrs(ifa);
	return found;
}

/* /proc/net's IPv6 spelling: 32 hex digits, no colons. */
static bool hex_to_in6(const char *hex, struct in6_addr *a)
{
	if (strlen(hex) != 32)
		return false;
	for (int i = 0; i < 16; i++) {
		unsigned int byte;

		if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
			return false;
		a->s6_addr[i] = (uint8_t)byte;
	}
	return true;
}

/* /proc/net/if_inet6: "addr ifindex plen scope flags name" (replayable). */
static bool proc_address(const char *table, const char *ifname, char *addr,
			 size_t len)
{
	for (const char *line = table; line && *line;) {
		char hex[64], name[IFNAMSIZ + 1];

		struct in6_addr a;

		if (sscanf(line, "%63s %*s %*s %*s %*s %16s", hex, name) == 2 &&
		    !strcmp(name, ifname) && !v6_incidental(hex) &&
		    hex_to_in6(hex, &a)) {
			inet_ntop(AF_INET6, &a, addr, (socklen_t)len);
			return true;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return false;
}

/* /proc/net/route: header, then "Iface Destination(le hex) Gateway ..." */
static bool route4(const char *table, const char *ifname, char *dst, size_t len)
{
	const char *line = table ? strchr(table, '\n') : NULL;

	while (line && *++line) {
		char name[IFNAMSIZ + 1], ip[INET_ADDRSTRLEN];
		unsigned int dest, mask;

		if (sscanf(line, "%16s %x %*s %*s %*s %*s %*s %x", name, &dest, &mask) == 3 &&
		    !strcmp(name, ifname)) {
			struct in_addr a = { .s_addr = dest };	/* already network order */

			inet_ntop(AF_INET, &a, ip, sizeof(ip));
			snprintf(dst, len, "%s/%d", ip, __builtin_popcount(mask));
			return true;
		}
		line = strchr(line, '\n');
	}
	return false;
}

/* /proc/net/ipv6_route: "dest plen src splen nexthop metric ref use flags iface" */
static bool route6(const char *table, const char *ifname, char *dst, size_t len)
{
	for (const char *line = table; line && *line;) {
		char hex[64], plen[8], name[IFNAMSIZ + 1];
		struct in6_addr a;

		if (sscanf(line, "%63s %7s %*s %*s %*s %*s %*s %*s %*s %16s",
			   hex, plen, name) == 3 &&
		    !strcmp(name, ifname) && !v6_incidental(hex) &&
		    hex_to_in6(hex, &a)) {
			char ip[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, &a, ip, sizeof(ip));
			snprintf(dst, len, "%s/%ld", ip, strtol(plen, NULL, 16));
			return true;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return false;
}

/* The kernel's MAX_NEST_DEV: how deep devices may stack on one another. */
#define MAX_NESTING 8

/* /proc/net tables; each may be NULL (a kernel without IPv4 or IPv6). */
struct net_tables {
	char *v4, *v6, *addr6;
};

/*
 * Is ifname up with an address or a route, on itself or on a device
 * stacked on it (bridge, bond, team, VLAN)? A bridge port has no address
 * of its own: the bridge's traffic is what taking the port would cut. who
 * starts each reason: "interface eth0", or the chain so far, "interface
 * eth0 is enslaved to br0, which".
 */
static int iface_uses(const struct net_tables *t, const char *ifname,
		      const char *who, int depth, char *why, size_t len)
{
	char a[INET6_ADDRSTRLEN + 8], r[80], path[PATH_MAX], master[IFNAMSIZ + 1];
	char **names;
	int n, found = 0;

	if (!iface_up(ifname))
		return 0;
	/* the replayable source first, so captures tell the same story */
	if (proc_address(t->addr6, ifname, a, sizeof(a)) ||
	    live_address(ifname, a, sizeof(a))) {
		say(why, len, "%s is up with address %s", who, a);
		found++;
	}
	if (route4(t->v4, ifname, r, sizeof(r)) ||
	    route6(t->v6, ifname, r, sizeof(r))) {
		say(why, len, "%s is up with a route to %s", who, r);
		found++;
	}
	if (depth >= MAX_NESTING)
		return found;
	/* master: the one upper a port is enslaved to; upper_*: all of them */
	path_fmt(path, sizeof(path), "/sys/class/net/%s/master", ifname);
	if (sysfs_link_name(path, master, sizeof(master)))
		master[0] = '\0';
	path_fmt(path, sizeof(path), "/sys/class/net/%s", ifname);
	n = sysfs_list(path, &names);
	for (int i = 0; i < n; i++) {
		const char *upper = names[i] + strlen("upper_");
		char next[512];

		if (strncmp(names[i], "upper_", strlen("upper_")) || !*upper)
			continue;
		snprintf(next, sizeof(next), "%s %s %s, which", who,
			 strcmp(upper, master) ? "carries" : "is enslaved to", upper);
		found += iface_uses(t, upper, next, depth + 1, why, len);
	}
	if (n >= 0)
		sysfs_list_free(names);
	return found;
}

int inuse_net(const char *bdf, char *why, size_t len)
{
	struct net_tables t;
	char **names;
	int n, err, found = 0;

	why[0] = '\0';
	n = sysfs_list("/sys/class/net", &names);
	if (n <= 0)
		return 0;
	t.v4 = read_table("/proc/net/route", &err);
	t.v6 = read_table("/proc/net/ipv6_route", &err);
	t.addr6 = read_table("/proc/net/if_inet6", &err);
	for (int i = 0; i < n; i++) {
		char who[IFNAMSIZ + 16];

		if (!class_dev_under("net", names[i], bdf))
			continue;
		snprintf(who, sizeof(who), "interface %s", names[i]);
		found += iface_uses(&t, names[i], who, 0, why, len);
	}
	free(t.v4);
	free(t.v6);
	free(t.addr6);
	sysfs_list_free(names);
	return found > 0;
}

static int drm_console(const char *bdf, char *why, size_t len)
{
	char path[PATH_MAX], buf[PATH_MAX];
	char **fbs;
	int n, found = 0;

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/boot_vga", bdf);
	if (!sysfs_read(path, buf, sizeof(buf)) && !strcmp(buf, "1")) {
		path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
		if (!sysfs_link_name(path, buf, sizeof(buf))) {
			say(why, len, "boot VGA device driven by %s: the console is on it", buf);
			found++;
		}
	}
	n = sysfs_list("/sys/class/graphics", &fbs);
	for (int i = 0; i < n; i++) {
		if (strncmp(fbs[i], "fb", 2) || !all_digits(fbs[i] + 2))
			continue;
		path_fmt(path, sizeof(path), "/sys/class/graphics/%s/device", fbs[i]);
		if (!sysfs_link_target(path, buf, sizeof(buf)) && under_bdf(buf, bdf)) {
			say(why, len, "framebuffer %s is on it (fbcon draws the console there)",
			    fbs[i]);
			found++;
		}
	}
	if (n >= 0)
		sysfs_list_free(fbs);
	return found;
}

/* card0 and renderD128 are device nodes; card0-DP-1 is a connector. */
static bool is_drm_node(const char *name)
{
	if (!strncmp(name, "card", 4))
		return all_digits(name + 4);
	if (!strncmp(name, "renderD", 7))
		return all_digits(name + 7);
	return false;
}

int inuse_drm(const char *bdf, char *why, size_t len)
{
	struct devnode *nodes;
	char **names;
	int n, n_nodes = 0, found = 0;

	why[0] = '\0';
	n = sysfs_list("/sys/class/drm", &names);
	if (n > 0) {
		nodes = calloc((size_t)n, sizeof(*nodes));
		if (!nodes) {
			sysfs_list_free(names);
			say(why, len, "out of memory: DRM clients cannot be ruled out");
			return 1;
		}
		for (int i = 0; i < n; i++)
			if (is_drm_node(names[i]) &&
			    class_dev_under("drm", names[i], bdf))
				path_fmt(nodes[n_nodes++].path, sizeof(nodes->path),
					 "/dev/dri/%s", names[i]);
		if (n_nodes)
			found += open_by_process(nodes, n_nodes, "DRM clients", why, len);
		free(nodes);
		sysfs_list_free(names);
	}
	found += drm_console(bdf, why, len);
	return found > 0;
}

/*
 * A virtio-pci function whose virtio device is a vsock transport with its
 * driver bound: in a VM the host's control channel (a cloud provider's
 * agent) runs over it, and no mount, address or /proc/PID/fd entry shows
 * the sockets: the device itself is the evidence.
 */
int inuse_vsock(const char *bdf, char *why, size_t len)
{
	char **names;
	int n, found = 0;

	why[0] = '\0';
	n = sysfs_list("/sys/bus/virtio/devices", &names);
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX], target[PATH_MAX], drv[64];
		uint64_t id;

		path_fmt(path, sizeof(path), "/sys/bus/virtio/devices/%s", names[i]);
		if (sysfs_link_target(path, target, sizeof(target)) ||
		    !under_bdf(target, bdf))
			continue;
		path_fmt(path, sizeof(path), "/sys/bus/virtio/devices/%s/device", names[i]);
		if (sysfs_read_u64(path, 16, &id) || id != VIRTIO_ID_VSOCK)
			continue;
		/* no transport driver, no channel: nothing to take away */
		path_fmt(path, sizeof(path), "/sys/bus/virtio/devices/%s/driver", names[i]);
		if (sysfs_link_name(path, drv, sizeof(drv)))
			continue;
		say(why, len, "%s is a vsock device driven by %s: the VM's vsock control channel (e.g. the cloud agent) runs over it",
		    names[i], drv);
		found++;
	}
	if (n >= 0)
		sysfs_list_free(names);
	return found > 0;
}

int inuse_check(const char *bdf, char *why, size_t len)
{
	int (*const checks[])(const char *, char *, size_t) = {
		inuse_block, inuse_nvme_char, inuse_net, inuse_drm, inuse_vsock,
	};
	char *one = malloc(len);
	int busy = 0;

	why[0] = '\0';
	if (!one) {
		snprintf(why, len, "out of memory: use cannot be ruled out");
		return 1;
	}
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (checks[i](bdf, one, len)) {
			say(why, len, "%s", one);
			busy = 1;
		}
	}
	free(one);
	return busy;
}
