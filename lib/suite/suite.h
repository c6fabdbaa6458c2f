/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every suite under suites/ uses, in one include, as the kernel's
 * tools/testing/selftests/vfio tests include one umbrella header: the
 * kselftest harness, the device under test (target), readiness checks
 * (devready), evidence lines and the attach handle.
 *
 * Only suites include this: the harness defines functions in the header,
 * so nothing in lib/ may pull it in.
 */
#ifndef SNOOP_SUITE_H
#define SNOOP_SUITE_H

#include <kselftest_harness.h>

#include "suite/devready.h"
#include "suite/evidence.h"
#include "suite/target.h"
#include "vfio/attach.h"

/*
 * One variant of fixture per attach path, in the habit of the kernel's
 * FIXTURE_VARIANT_ADD_ALL_IOMMU_MODES(). The fixture's variant must be
 *	FIXTURE_VARIANT(fixture) { enum attach_path path; };
 * Variant names (and so the KTAP test names, fixture.type1.test ...) are
 * the ones recorded fixtures and the lab tests match on: keep them.
 */
#define ATTACH_PATH_VARIANTS(fixture)						\
	FIXTURE_VARIANT_ADD(fixture, type1) { .path = ATTACH_TYPE1 };		\
	FIXTURE_VARIANT_ADD(fixture, type1v2) { .path = ATTACH_TYPE1V2 };	\
	FIXTURE_VARIANT_ADD(fixture, iommufd_compat) { .path = ATTACH_IOMMUFD_COMPAT }; \
	FIXTURE_VARIANT_ADD(fixture, iommufd_ioas) { .path = ATTACH_IOMMUFD_IOAS }; \
	FIXTURE_VARIANT_ADD(fixture, iommufd_hwpt) { .path = ATTACH_IOMMUFD_HWPT }

#endif
