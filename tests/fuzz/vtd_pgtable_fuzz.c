// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel IOMMU debugfs text (vfio/vtd_pgtable.h): the leaf lookup, the 6.1
 * group sections and the PASID entries. Beyond not crashing: a section is
 * a part of the text that starts with its "Device BDF @" line, holds no
 * other section (it ends at the first empty line), and is its own section.
 */
#include <errno.h>

#include "fuzz.h"
#include "vfio/vtd_pgtable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *members[] = { "0000:00:04.0", "0000:00:07.0" };
	uint64_t pte, val[3];
	char *text, *sec, *again;
	int ret;

	if (size > 1 << 16)
		return 0;
	text = strndup((const char *)data, size);
	if (!text)
		return 0;
	ret = vtd_leaf_pte(text, 0xfffe0000, &pte);
	FUZZ_CHECK(ret == 0 || ret == -ENOENT || ret == -EINVAL, "leaf returned %d", ret);
	FUZZ_CHECK(ret || pte, "a leaf of 0 was returned as found");
	sec = vtd_group_section(text, members, 2);
	if (sec) {
		FUZZ_CHECK(strstr(text, sec) != NULL, "the section is not part of the text");
		FUZZ_CHECK(!strncmp(sec, "Device 0000:00:04.0 @", 21) ||
			   !strncmp(sec, "Device 0000:00:07.0 @", 21), "section starts '%.30s'", sec);
		FUZZ_CHECK(!strstr(sec, "\n\n"), "the section runs past an empty line");
		again = vtd_group_section(sec, members, 2);
		FUZZ_CHECK(again && !strcmp(again, sec), "the section is not its own section");
		ret = vtd_leaf_pte(sec, 0xfffe0000, &pte);
		FUZZ_CHECK(ret == 0 || ret == -ENOENT || ret == -EINVAL, "leaf returned %d", ret);
		free(again);
		free(sec);
	}
	ret = vtd_rid_pasid_entry(text, "dmar0", 0, 0x20, val);
	FUZZ_CHECK(ret == 0 || ret == -ENOENT || ret == -EINVAL, "pasid returned %d", ret);
	free(text);
	return 0;
}
