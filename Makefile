# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot: GNU make, 3.81 or later (macOS /usr/bin/make). No !=, .ONESHELL,
# $(file ...) or grouped targets. Header dependencies come from -MMD -MP.

VERSION := $(shell cat VERSION)
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
DATADIR = $(PREFIX)/share
PKG_CONFIG ?= pkg-config
PKGS = libiso9660 libcdio libarchive zlib ext2fs com_err
SHARED ?= $(CURDIR)/fixtures

# Build directory per flavour, so sanitizer and portable objects never mix.
B := build
ifeq ($(SANITIZE),1)
B := $(B)-san
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
else
SANFLAGS = -O2 -g
endif
ifeq ($(PORTABLE),1)
B := $(B)-portable
endif
# make check's -Werror objects are never make's (or make demo's) without it.
ifeq ($(WERROR),1)
B := $(B)-werror
endif

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wpointer-arith \
	-Wwrite-strings -Wcast-qual -Wvla -Wformat=2 -Wimplicit-fallthrough \
	-Wundef -Wdeclaration-after-statement
ifeq ($(WERROR),1)
WARN += -Werror
endif
STD = -std=c11 -D_XOPEN_SOURCE=700 -D_FILE_OFFSET_BITS=64
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# -pthread: lib/progress.c watches a growing file from a thread.
ALL_CFLAGS = $(STD) $(SANFLAGS) $(WARN) -pthread -iquote lib -iquote $(B) \
	-DIB_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) -pthread $(LDFLAGS)

# Every lib/*.c is in the library and every tests/unit/check_*.c is a
# suite: a new file cannot be forgotten here.
LIB_SRC = $(sort $(wildcard lib/*.c))
LIB_OBJ = $(LIB_SRC:%.c=$(B)/%.o)
TOOLS = isoboot-extract syslinux2cmdline mkdisk isoboot-cmd isoboot
TOOL_BIN = $(TOOLS:%=$(B)/bin/%)
# isoboot --mk-path finds it beside its bin directory, here too.
MK_FILE = $(B)/share/isoboot/isoboot.mk
UNIT = $(sort $(notdir $(basename $(wildcard tests/unit/check_*.c))))
UNIT_BIN = $(UNIT:%=$(B)/tests/%)
# Test-only drivers (tests/lib/*.c): small mains that let a shell test
# drive one library module; built into $(B)/drivers, never installed.
DRIVERS = $(sort $(notdir $(basename $(wildcard tests/lib/*.c))))
DRIVER_BIN = $(DRIVERS:%=$(B)/drivers/%)
MANS = $(TOOLS:%=man/%.1)
# Every fuzz/fuzz_*.c is a target (built as a replay test in check).
FUZZ = $(sort $(notdir $(basename $(wildcard fuzz/fuzz_*.c))))
REPLAY_BIN = $(FUZZ:%=$(B)/replay/%)
E2E = $(filter-out tests/e2e/lib.sh,$(wildcard tests/e2e/*.sh))

.PHONY: all check _check check-big check-bootloaders _check-bootloaders \
	deps demo _demo install uninstall clean bench lint fmt fuzz _fuzz \
	fuzz-run dist distcheck
.SUFFIXES:
.SECONDARY:

all: $(TOOL_BIN) $(MK_FILE)

$(B)/config.h: mk/configure.sh
	@mkdir -p $(B)
	sh mk/configure.sh "$(CC)" $@ $(PORTABLE)

$(B)/lib/%.o: lib/%.c | $(B)/config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wconversion -MMD -MP -c -o $@ $<

$(B)/tools/%.o: tools/%.c | $(B)/config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wconversion -MMD -MP -c -o $@ $<

$(B)/tests/%.o: tests/unit/%.c | $(B)/config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libisoboot.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

# isoboot.mk's installed place.
$(B)/tools/isoboot.o: ALL_CFLAGS += -DIB_DATADIR='"$(DATADIR)"'

$(MK_FILE): share/isoboot.mk
	@mkdir -p $(@D)
	cp share/isoboot.mk $@

$(B)/bin/%: $(B)/tools/%.o $(B)/tools/cli.o $(B)/libisoboot.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/tools/cli.o $(B)/libisoboot.a \
		$(PKG_LIBS)

$(B)/tests/check_%: $(B)/tests/check_%.o $(B)/libisoboot.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/libisoboot.a $(PKG_LIBS) \
		$(CHECK_LIBS)

$(B)/drivers/%: tests/lib/%.c $(B)/libisoboot.a | $(B)/config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libisoboot.a $(PKG_LIBS)

# The README's test command: install what is missing, then build with
# -Werror and run every unit and end-to-end test.
check: deps
	@$(MAKE) --no-print-directory _check WERROR=1

_check: $(TOOL_BIN) $(MK_FILE) $(UNIT_BIN) $(REPLAY_BIN) $(DRIVER_BIN)
	@sh tests/run.sh "$(B)" "$(SHARED)" $(UNIT_BIN) $(E2E)

# Fuzz targets without libFuzzer: replay tests/regress/TARGET/* in check.
$(B)/replay/%: fuzz/%.c fuzz/replay.c $(B)/libisoboot.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ fuzz/$*.c \
		fuzz/replay.c $(B)/libisoboot.a $(PKG_LIBS)

# libFuzzer targets (clang, ASan+UBSan) in build-fuzz; fuzz-run runs each
# for FUZZ_TIME seconds from seeds made of fixtures/isos.
FUZZ_TIME ?= 60
FUZZ_SAN = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=all
fuzz: deps
	@$(MAKE) --no-print-directory B=build-fuzz CC=clang \
		SANFLAGS="$(FUZZ_SAN)" _fuzz

_fuzz: $(FUZZ:%=$(B)/fuzz/%)

$(B)/fuzz/%: fuzz/%.c $(B)/libisoboot.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes \
		-fsanitize=fuzzer,address,undefined -o $@ $< \
		$(B)/libisoboot.a $(PKG_LIBS)

fuzz-run: fuzz
	@sh fuzz/run.sh build-fuzz "$(SHARED)" $(FUZZ_TIME) $(FUZZ)

# A real multi-extent file over 4 GiB; slow and disk-hungry, not in check.
check-big: deps
	@$(MAKE) --no-print-directory $(TOOL_BIN) $(DRIVER_BIN)
	@sh tests/run.sh "$(B)" "$(SHARED)" tests/big/multi-extent.sh

# Every fixtures/bootcfg answer against the real boot loaders: ISOLINUX,
# GRUB (BIOS, and UEFI under OVMF) booted in qemu (TCG). Slow, so not in
# check; each boot path is cached by content hash (tests/bootcheck).
check-bootloaders: deps
	@$(MAKE) --no-print-directory _check-bootloaders WERROR=1

_check-bootloaders: $(B)/bin/syslinux2cmdline
	@IB_BIN="$(CURDIR)/$(B)/bin" IB_SHARED="$(SHARED)" \
		sh tests/bootcheck/bootcheck.sh

deps:
	@sh mk/deps.sh

demo: deps
	@$(MAKE) --no-print-directory _demo

_demo: $(TOOL_BIN)
	@sh examples/demo.sh "$(B)"

bench: deps
	@$(MAKE) --no-print-directory $(TOOL_BIN) $(DRIVER_BIN)
	@sh bench/run.sh "$(B)"

install: $(TOOL_BIN)
	mkdir -p "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)" \
		"$(DESTDIR)$(BASHCOMPDIR)" "$(DESTDIR)$(ZSHCOMPDIR)"
	cp $(TOOL_BIN) "$(DESTDIR)$(BINDIR)/"
	cp $(MANS) "$(DESTDIR)$(MANDIR)/"
	for t in $(TOOLS); do cp completions/isoboot.bash \
		"$(DESTDIR)$(BASHCOMPDIR)/$$t"; done
	cp completions/_isoboot "$(DESTDIR)$(ZSHCOMPDIR)/_isoboot"
	mkdir -p "$(DESTDIR)$(DATADIR)/isoboot"
	cp share/isoboot.mk "$(DESTDIR)$(DATADIR)/isoboot/isoboot.mk"

uninstall:
	for t in $(TOOLS); do rm -f "$(DESTDIR)$(BINDIR)/$$t" \
		"$(DESTDIR)$(MANDIR)/$$t.1" "$(DESTDIR)$(BASHCOMPDIR)/$$t"; done
	rm -f "$(DESTDIR)$(ZSHCOMPDIR)/_isoboot" \
		"$(DESTDIR)$(DATADIR)/isoboot/isoboot.mk"
	-rmdir "$(DESTDIR)$(DATADIR)/isoboot" 2>/dev/null

# A reproducible source tarball, and the check that it builds and works.
DIST = isoboot-$(VERSION).tar.gz
dist:
	@sh mk/dist.sh $(VERSION) $(DIST)

distcheck: dist
	@mkdir -p build
	@sh mk/dist.sh $(VERSION) build/dist-again.tar.gz >/dev/null
	@cmp $(DIST) build/dist-again.tar.gz && \
		echo "dist: reproducible: a second run gave the same bytes"
	@sh mk/distcheck.sh $(CURDIR)/$(DIST)

lint:
	@sh mk/lint.sh

fmt:
	clang-format -i lib/*.c lib/*.h tools/*.c tools/*.h tests/unit/*.c

clean:
	rm -rf build build-* isoboot-*.tar.gz

-include $(LIB_OBJ:.o=.d) $(B)/tools/*.d $(B)/tests/*.d
