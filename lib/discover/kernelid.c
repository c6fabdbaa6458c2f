// SPDX-License-Identifier: GPL-2.0-only
#include "discover/kernelid.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover/kconfig.h"
#include "sysfs/sysroot.h"

/*
 * The options a reader of the results needs to explain them: each one
 * decides whether a path, a proof or a suite can run at all.
 */
static const char *const option_names[KERNELID_N_OPTIONS] = {
	"CONFIG_VFIO",			/* VFIO itself: /dev/vfio */
	"CONFIG_VFIO_PCI",		/* the vfio-pci driver runner bind hands devices to */
	"CONFIG_VFIO_CONTAINER",	/* VFIO's own group container (/dev/vfio/vfio, type1) */
	"CONFIG_VFIO_IOMMU_TYPE1",	/* the type1/type1v2 backend of that container */
	"CONFIG_IOMMUFD",		/* /dev/iommu: the IOAS and HWPT attach paths */
	"CONFIG_IOMMUFD_VFIO_CONTAINER", /* iommufd serves /dev/vfio/vfio instead (compat path) */
	"CONFIG_VFIO_DEVICE_CDEV",	/* /dev/vfio/devices/vfioN: iommufd's native attach */
	"CONFIG_INTEL_IOMMU",		/* the VT-d driver whose Snoop Control is judged */
	"CONFIG_INTEL_IOMMU_DEBUGFS",	/* the page tables the SNP proof reads */
	"CONFIG_AMD_IOMMU",		/* the AMD-Vi driver */
	"CONFIG_KVM",			/* suites/kvm: what KVM is told about coherency */
	"CONFIG_KVM_INTEL",		/* its VMX backend */
	"CONFIG_KVM_AMD",		/* its SVM backend (the lab's, nested under TCG) */
	"CONFIG_KPROBE_EVENTS",		/* suites/kvm's probes on the register calls */
};

const char *kernelid_option_name(size_t i)
{
	return i < KERNELID_N_OPTIONS ? option_names[i] : NULL;
}

const char *kernelid_option(const struct kernel_identity *id, const char *name)
{
	for (size_t i = 0; i < KERNELID_N_OPTIONS; i++)
		if (!strcmp(option_names[i], name))
			return id->options[i];
	return "";
}

/* major.minor of a release or series; 0 when it is not one. */
static long release_number(const char *r)
{
	int major, minor;

	return sscanf(r, "%d.%d", &major, &minor) == 2 ? major * 1000L + minor : 0;
}

void kernelid_why_missing(const char *option, const char *since, char *out, size_t len)
{
	static struct kernel_identity id;	/* read once: a suite asks per path */
	static char release[128];
	static int known;
	const char *value;

	if (!known) {
		if (sysfs_read("/proc/sys/kernel/osrelease", release, sizeof(release)))
			release[0] = '\0';
		kernelid_read(&id, release);
		known = 1;
	}
	value = kernelid_option(&id, option);
	if (since && release_number(release) &&
	    release_number(release) < release_number(since))
		snprintf(out, len, "kernel %s predates %s, new in %s", release, option, since);
	else if (!strcmp(value, "n"))
		snprintf(out, len, "kernel %s is built without %s (%s)", release, option,
			 id.config_source);
	else if (!strcmp(value, "m"))
		snprintf(out, len, "kernel %s builds %s as a module (%s): is it loaded?", release,
			 option, id.config_source);
	else if (*value)
		snprintf(out, len, "kernel %s has %s=%s (%s) yet it is missing: is devtmpfs mounted?",
			 release, option, value, id.config_source);
	else
		snprintf(out, len, "kernel %s: %s unknown (no /proc/config.gz or /boot/config-%s)",
			 *release ? release : "(release unreadable)", option, release);
}

int kernelid_git_commit(const char *release, char *out, size_t len)
{
	for (const char *p = strstr(release, "-g"); p; p = strstr(p + 1, "-g")) {
		size_t n = strspn(p + 2, "0123456789abcdef");
		char next = p[2 + n];

		if (n < 7 || n > 40 || n >= len || isalnum((unsigned char)next) || next == '_')
			continue;
		memcpy(out, p + 2, n);
		out[n] = '\0';
		return 0;
	}
	return -ENOENT;
}

static void build_id(struct kernel_identity *id)
{
	char *data, why[128];
	size_t len;
	int err;

	if (sysfs_read_bin("/sys/kernel/notes", &data, &len))
		return;
	err = elfnote_build_id(data, len, id->build_id, sizeof(id->build_id), why, sizeof(why));
	if (err == -EINVAL)
		fprintf(stderr, "snoopcheck: %s/sys/kernel/notes: %s; the build-id stays unknown\n",
			sysroot_replay_dir() ? sysroot_replay_dir() : "", why);
	if (err)
		id->build_id[0] = '\0';
	free(data);
}

/* The config text: /proc/config.gz, else /boot/config-RELEASE. */
static char *config_text(struct kernel_identity *id, const char *release, size_t *len)
{
	char path[sizeof(id->config_source)], why[128], *data, *text = NULL;
	size_t n;
	int err;

	if (!sysfs_read_bin("/proc/config.gz", &data, &n)) {
		err = kconfig_gunzip(data, n, &text, len, why, sizeof(why));
		free(data);
		if (!err) {
			snprintf(id->config_source, sizeof(id->config_source), "/proc/config.gz");
			return text;
		}
		fprintf(stderr, "snoopcheck: %s/proc/config.gz: %s\n",
			sysroot_replay_dir() ? sysroot_replay_dir() : "",
			err == -EINVAL || err == -EFBIG ? why : strerror(-err));
	}
	/* a release with a '/' is no file name; "" has no config file */
	if (!*release || strchr(release, '/') || strlen(release) > sizeof(path) - 16)
		return NULL;
	path_fmt(path, sizeof(path), "/boot/config-%s", release);
	if (sysfs_read_bin(path, &data, &n))
		return NULL;
	snprintf(id->config_source, sizeof(id->config_source), "%s", path);
	*len = n;
	return data;
}

static void config_options(struct kernel_identity *id, const char *release)
{
	size_t len;
	char *text = config_text(id, release, &len);

	if (!text)
		return;
	for (size_t i = 0; i < KERNELID_N_OPTIONS; i++) {
		int err = kconfig_lookup(text, len, option_names[i], id->options[i],
					 sizeof(id->options[i]));

		/* read and absent: Kconfig writes no line for an option that cannot be on */
		if (err == -ENOENT)
			snprintf(id->options[i], sizeof(id->options[i]), "n");
		else if (err)
			id->options[i][0] = '\0';
	}
	free(text);
}

void kernelid_read(struct kernel_identity *id, const char *release)
{
	memset(id, 0, sizeof(*id));
	if (sysfs_read("/proc/sys/kernel/arch", id->arch, sizeof(id->arch)))
		id->arch[0] = '\0';
	build_id(id);
	if (kernelid_git_commit(release, id->git_commit, sizeof(id->git_commit)))
		id->git_commit[0] = '\0';
	config_options(id, release);
}
