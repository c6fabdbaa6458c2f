# SPDX-License-Identifier: GPL-2.0-only
#
# make            runner and the suites
# make check      unit, golden and CLI tests (ASan/UBSan) + virtual-lab tests,
#                 after a 10 s pass of each fuzz harness
# make check-vm   every suite on every virtual platform, side-by-side table
# make check-hw   the suites on this machine's selected devices (root)
# make fuzz       every libFuzzer harness (tests/fuzz/), FUZZ_SECONDS each
# make bench      figures, never assertions (bench-results: only results at scale:
#                  1k and 10k files, each the least of 3 runs, and the growth)
#
# Dependencies are Debian 12 packages; scripts/install-deps.sh installs what
# is missing (as root) and returns at once when nothing is.

.DEFAULT_GOAL := all
CC       ?= gcc
BUILD    := build
# libarchive writes and reads submission bundles, libcrypto checksums them.
PKGS     := libpci json-c libarchive libcrypto zlib
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
BASE     := -std=c11 -D_GNU_SOURCE -g -Ilib -DSNOOP_SRCDIR='"$(CURDIR)"'
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# build/config.mk records where the kernel uapi headers and the kselftest
# harness live; make creates it (and installs packages) before anything else.
-include $(BUILD)/config.mk
$(BUILD)/config.mk: scripts/install-deps.sh scripts/kernel-src.sh
	@mkdir -p $(BUILD)
	@scripts/install-deps.sh build
	@src=$$(scripts/kernel-src.sh src) && hdr=$$(scripts/kernel-src.sh headers) && \
		test -f "$$hdr/include/linux/iommufd.h" && \
		printf 'KSRC := %s\nKHDR := %s\n' "$$src" "$$hdr" > $@.tmp && mv $@.tmp $@ || \
		{ echo "config.mk: kernel source or uapi headers not ready (see above)" >&2; exit 1; }

# The 6.12 uapi headers come first so <linux/iommufd.h> and <linux/vfio.h>
# are the kernel's own; the harness is a system header (it is not
# -Wextra clean) included as <kselftest_harness.h>.
KINC     = -I$(KHDR)/include -isystem $(KSRC)/tools/testing/selftests
PKGCF    = $(shell pkg-config --cflags $(PKGS))
PKGLIBS  = $(shell pkg-config --libs $(PKGS))
CFLAGS_N = $(BASE) $(WARN) $(WARN_EXTRA) -O2 $(KINC) $(PKGCF) $(CFLAGS)
CFLAGS_T = $(BASE) $(WARN) $(WARN_EXTRA) -O1 $(SAN) $(KINC) $(PKGCF) $(CFLAGS)

# lib/ is one folder per layer (README.md, "Layout"); it builds as a static
# archive, so each suite and test links only the objects it uses. The
# runner's commands sit above it, in commands/.
LIB_SRC  := $(sort $(shell find lib -name '*.c'))
CMD_SRC  := $(sort $(wildcard commands/*.c))
SUITES   := $(patsubst %.c,%,$(sort $(wildcard suites/*.c)))
TESTS    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/*/*_test.c)))
LIB_N    := $(patsubst %.c,$(BUILD)/n/%.o,$(LIB_SRC))
LIB_T    := $(patsubst %.c,$(BUILD)/t/%.o,$(LIB_SRC))
CMD_N    := $(patsubst %.c,$(BUILD)/n/%.o,$(CMD_SRC))
CMD_T    := $(patsubst %.c,$(BUILD)/t/%.o,$(CMD_SRC))
ARC_N    := $(BUILD)/n/libsnoop.a
ARC_T    := $(BUILD)/t/libsnoop.a

# The fuzz build: the same lib/ sources compiled by clang into build/f/
# (never mixed with gcc's objects), instrumented for libFuzzer, ASan and
# UBSan; each tests/fuzz/NAME_fuzz.c links into build/f/fuzz/NAME_fuzz.
FUZZ_CC  ?= clang-14
CFLAGS_F  = $(BASE) $(WARN) $(WARN_EXTRA) -O1 $(SAN) -fsanitize=fuzzer-no-link \
	    $(KINC) $(PKGCF) $(CFLAGS)
LIB_F    := $(patsubst %.c,$(BUILD)/f/%.o,$(LIB_SRC))
ARC_F    := $(BUILD)/f/libsnoop.a
FUZZERS  := $(patsubst tests/fuzz/%.c,$(BUILD)/f/fuzz/%,$(sort $(wildcard tests/fuzz/*_fuzz.c)))
# Seconds per harness: `make fuzz` (FUZZ_SECONDS=N to change), make check's pass.
FUZZ_SECONDS       ?= 60
FUZZ_CHECK_SECONDS ?= 10

# .incbin in schema_data.c: make cannot see that dependency by itself.
$(BUILD)/n/lib/judge/schema_data.o $(BUILD)/t/lib/judge/schema_data.o \
$(BUILD)/f/lib/judge/schema_data.o: results/schema.json

# The kselftest harness defines functions without prototypes, so only our
# own library and commands get -Wmissing-prototypes.
$(BUILD)/n/lib/%.o $(BUILD)/t/lib/%.o $(BUILD)/n/commands/%.o $(BUILD)/t/commands/%.o \
$(BUILD)/f/lib/%.o: WARN_EXTRA = -Wmissing-prototypes
# Tests share one fake-sysfs helper, tests/fakesys.h; harnesses tests/fuzz/fuzz.h.
$(BUILD)/t/tests/%.o: CFLAGS_T += -Itests
$(BUILD)/f/tests/%.o: CFLAGS_F += -Itests

# runner bundle's manifest names the commit the runner was built from
# ("-dirty" with uncommitted changes, "" outside git). The file changes only
# when the commit does, so only then is bundle.o rebuilt.
GIT_COMMIT := $(shell c=$$(git -C $(CURDIR) rev-parse HEAD 2>/dev/null) && \
	{ git -C $(CURDIR) diff --quiet HEAD -- 2>/dev/null || c=$$c-dirty; }; echo $$c)
$(BUILD)/git-commit: FORCE
	@mkdir -p $(@D); echo '$(GIT_COMMIT)' | cmp -s - $@ || echo '$(GIT_COMMIT)' > $@
$(BUILD)/n/commands/bundle.o $(BUILD)/t/commands/bundle.o: $(BUILD)/git-commit
$(BUILD)/n/commands/bundle.o $(BUILD)/t/commands/bundle.o: BASE += -DSNOOP_GIT_COMMIT='"$(GIT_COMMIT)"'
FORCE:

# Keep objects between runs; make would delete them as intermediates.
.SECONDARY:

.PHONY: all check check-unit check-vm check-hw bench bench-results deps fuzz fuzz-deps clean FORCE
all: runner $(SUITES)

# fuzz-deps first, never beside deps: two apt-get runs would race for its lock.
deps: fuzz-deps
	@scripts/install-deps.sh all
fuzz-deps:
	@scripts/install-deps.sh fuzz

$(BUILD)/n/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_N) -MMD -MP -c -o $@ $<
$(BUILD)/t/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_T) -MMD -MP -c -o $@ $<

# Order-only: clang must be there before the first fuzz object, but a
# finished install does not make every object stale.
$(BUILD)/f/%.o: %.c $(BUILD)/config.mk | fuzz-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CFLAGS_F) -MMD -MP -c -o $@ $<

$(ARC_N): $(LIB_N)
	@rm -f $@
	$(AR) rcs $@ $^
$(ARC_T): $(LIB_T)
	@rm -f $@
	$(AR) rcs $@ $^
$(ARC_F): $(LIB_F)
	@rm -f $@
	$(AR) rcs $@ $^

runner: $(BUILD)/n/runner.o $(CMD_N) $(ARC_N)
	$(CC) $(CFLAGS_N) -o $@ $^ $(PKGLIBS)
suites/%: $(BUILD)/n/suites/%.o $(ARC_N)
	$(CC) $(CFLAGS_N) -o $@ $^ $(PKGLIBS)

# Sanitized twins: the tests drive these so ASan/UBSan see the CLI too.
$(BUILD)/t/runner: $(BUILD)/t/runner.o $(CMD_T) $(ARC_T)
	$(CC) $(CFLAGS_T) -o $@ $^ $(PKGLIBS)
$(BUILD)/t/suites/%: $(BUILD)/t/suites/%.o $(ARC_T)
	$(CC) $(CFLAGS_T) -o $@ $^ $(PKGLIBS)
$(BUILD)/tests/%: $(BUILD)/t/tests/%.o $(ARC_T)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_T) -o $@ $^ $(PKGLIBS)
# -fsanitize=fuzzer only here: it brings libFuzzer's main().
$(BUILD)/f/fuzz/%: $(BUILD)/f/tests/fuzz/%.o $(ARC_F)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CFLAGS_F) -fsanitize=fuzzer -o $@ $^ $(PKGLIBS)

T_BINS   = $(BUILD)/t/runner $(patsubst suites/%,$(BUILD)/t/suites/%,$(SUITES))
VM_TESTS = $(filter $(BUILD)/tests/vm/%,$(TESTS))

# Everything, the virtual lab included. The lab kernels are built (or taken
# from the cache) first, so no test waits on a cold kernel build; the
# first, the default series, is the tests' KERNEL. A short
# fuzz pass comes first with its own closing line; the tests' line stays
# the last one, and a crash the fuzzers found fails the target after it.
check: deps all $(TESTS) $(T_BINS) $(FUZZERS)
	@kernel=; for s in $(LAB_KERNELS); do \
		k=$$(vm/build-kernel.sh $$s | tail -n 1) || exit 1; kernel=$${kernel:-$$k}; \
	done; fz=0; \
	FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS) tests/run-fuzz.sh $(FUZZERS) || fz=1; \
	KERNEL=$$kernel tests/run-tests.sh $(TESTS) && exit $$fz

# Every harness for FUZZ_SECONDS, seeded from tests/fixtures/ into
# build/fuzz/CORPUS/; a crash fails it, its input kept and named.
fuzz: fuzz-deps $(FUZZERS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run-fuzz.sh $(FUZZERS)

# Try it without hardware: the whole job (runner run) on every platform of
# the virtual lab, under each lab kernel (LAB_KERNELS: 6.12, then Debian
# 12's own 6.1, which has no iommufd), on the devices lab.conf.example names
# (the lab's own); then, per kernel, the platforms side by side from the
# results files the guests wrote, and each platform's 6.1 run held against
# its 6.12 run (scripts/compare-kernels.sh). A platform fails if it left no
# valid results file, if a test or verdict failed that results/expectations/
# does not explain (the gate of runner compare --expect), or if 6.1 lost a
# pass or regressed beyond what kernel-6.1.conf expects; its verdicts,
# no-iommu included, are the output. Each guest is one TCG vCPU and mostly
# waits (on the kernel's fault-report rate limit, on fault timeouts): the
# five used 43 s of CPU in a 212 s run two at a time. So VM_JOBS of them
# run at once (default two per CPU), each one's messages in
# build/vm/SERIES/PLATFORM.log (scripts/check-vm.sh).
VM_PLATFORMS := $(basename $(notdir $(wildcard vm/platforms/*.conf)))
LAB_KERNELS  := $(shell scripts/kernel-src.sh series)
VM_JOBS ?= $(shell echo $$((2 * $$(nproc 2>/dev/null || echo 1))))
check-vm: deps all
	@for s in $(LAB_KERNELS); do vm/build-kernel.sh $$s >/dev/null || exit 1; done; \
	rm -rf $(BUILD)/vm; mkdir -p $(BUILD)/vm; rc=0; \
	for s in $(LAB_KERNELS); do printf "$$s %s\n" $(VM_PLATFORMS); done | \
		xargs -P $(VM_JOBS) -n 2 scripts/check-vm.sh || rc=1; \
	for s in $(LAB_KERNELS); do \
		echo; echo "check-vm: kernel $$s:"; \
		./runner compare --expect results/expectations $(BUILD)/vm/$$s/*.json || rc=1; \
	done; echo; \
	scripts/compare-kernels.sh $(LAB_KERNELS) || rc=1; exit $$rc

# The main job on a lab machine (root): discover, then run the suites on the
# devices named in the lab config (LAB_CONFIG, default ./lab.conf). Nothing
# tested is not a success: without a lab config, or when it selects nothing,
# this fails (exit 2) with the reason, so a CI job cannot mistake it for one.
LAB_CONFIG ?= lab.conf
check-hw: deps all
	@./runner list
	@if [ ! -f "$(LAB_CONFIG)" ]; then \
		echo "check-hw: no $(LAB_CONFIG): nothing selected, nothing touched." >&2; \
		echo "check-hw: copy lab.conf.example to lab.conf and name the devices under test." >&2; \
		exit 2; \
	fi; \
	rm -rf $(BUILD)/hw; mkdir -p $(BUILD)/hw; \
	./runner run --config "$(LAB_CONFIG)" --out $(BUILD)/hw/results.json; rc=$$?; \
	if [ $$rc -gt 1 ] || [ ! -f $(BUILD)/hw/results.json ]; then exit $$(( rc ? rc : 1 )); fi; \
	./runner compare --expect results/expectations $(BUILD)/hw/results.json

# Figures of the lab too: make check-vm and the lab tests, timed.
bench: deps all $(VM_TESTS) $(T_BINS)
	@scripts/bench.sh

# Only the results-at-scale figures (compare, validate, report): no guest.
bench-results: deps all
	@BENCH_PARTS=results scripts/bench.sh

# The quick loop: no guest is booted.
check-unit: deps all $(TESTS) $(T_BINS)
	@tests/run-tests.sh $(filter-out $(VM_TESTS),$(TESTS))

clean:
	rm -rf $(BUILD) runner $(SUITES)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
