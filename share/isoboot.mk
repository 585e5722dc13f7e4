# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot.mk: make a VM from a Linux ISO, for GNU make 3.81 or later.
#
#	ISO = alpine-virt-3.20.3-x86_64.iso
#	include $(shell isoboot --mk-path)
#
# Set these before the include or on make's command line (all optional
# but ISO, which must exist when make starts):
#   ISO                the image to boot
#   VM_DIR             where everything goes (vm)
#   VM_TARGET          hyperkit, xhyve, vfkit or qemu (empty: isoboot-cmd's)
#   VM_LABEL           the boot entry (empty: the one the image boots)
#   DISK_SIZE          a new disk.img's size (8g); an existing one is kept
#   VM_MEMORY VM_CPUS VM_NET  isoboot-cmd's -m, -c, --net (empty: its own)
#   VM_SERIAL_CMDLINE  yes: the command line for a serial console (yes)
#   VM_APPEND          more kernel arguments
#   VM_CDROM           an image attached as a CD (ISO; empty: none)
#   ISOBOOT_EXTRACT SYSLINUX2CMDLINE MKDISK ISOBOOT_CMD  the tools
# Targets: vm (all below), run (vm, then boot it), clean-vm (all but the
# disk). In VM_DIR: the kernel and initrds under their names in the image
# ($(ISOBOOT_KERNEL) and $(ISOBOOT_INITRD)), cmdline, disk.img, and run,
# the script that boots them. Paths with spaces, or characters that make
# or the shell treat specially, do not work in ISO or VM_DIR.

ISO ?=
VM_DIR ?= vm
VM_TARGET ?=
VM_LABEL ?=
DISK_SIZE ?= 8g
VM_MEMORY ?=
VM_CPUS ?=
VM_NET ?=
VM_SERIAL_CMDLINE ?= yes
VM_APPEND ?=
VM_CDROM ?= $(ISO)
ISOBOOT_EXTRACT ?= isoboot-extract
SYSLINUX2CMDLINE ?= syslinux2cmdline
MKDISK ?= mkdisk
ISOBOOT_CMD ?= isoboot-cmd

# The first rule, so that a Makefile that starts with the include builds
# the VM when make is given no target.
.PHONY: vm run clean-vm _ib_noboot _ib_force
vm:

# The entry's files in the image, from $(VM_DIR)/boot.mk, and in VM_DIR.
ISOBOOT_BOOT_KERNEL :=
ISOBOOT_BOOT_INITRD :=
ISOBOOT_KERNEL = $(addprefix $(_ib_dir)/,$(notdir $(ISOBOOT_BOOT_KERNEL)))
ISOBOOT_INITRD = $(addprefix $(_ib_dir)/,$(notdir $(ISOBOOT_BOOT_INITRD)))

# VM_DIR, without the blanks a comment after its value leaves.
_ib_dir := $(strip $(VM_DIR))

_ib_empty :=
_ib_space := $(_ib_empty) $(_ib_empty)

# $(call _ib_q,TEXT): TEXT as one shell word.
_ib_q = '$(subst ','\'',$(1))'

# Cleaning needs neither the ISO nor its boot entry.
_ib_build := $(if $(value MAKECMDGOALS),$(filter-out clean-vm clean \
	distclean mostlyclean,$(value MAKECMDGOALS)),vm)

# vfkit's console is hvc0; with no VM_TARGET, isoboot-cmd picks vfkit on
# Apple Silicon.
ifeq ($(strip $(VM_TARGET)),)
_ib_console := $(if $(filter Darwin_arm64,$(subst $(_ib_space),_,$(if \
	$(filter yes,$(VM_SERIAL_CMDLINE)),$(shell uname -sm)))),hvc0,ttyS0)
else
_ib_console := $(if $(filter vfkit,$(VM_TARGET)),hvc0,ttyS0)
endif
_ib_serial := $(if $(filter yes,$(VM_SERIAL_CMDLINE)),--serial$(if \
	$(filter hvc0,$(_ib_console)),=hvc0))
_ib_label := $(if $(strip $(VM_LABEL)),--label $(call _ib_q,$(strip \
	$(VM_LABEL))))

# The options each output is made with. Each set is kept in a file that
# is rewritten only when it changes, so that a change remakes what it
# affects and nothing else (make has no other memory between runs).
_ib_opt_boot := iso=$(strip $(ISO)) label=$(strip $(VM_LABEL))
_ib_opt_cmdline := $(_ib_opt_boot) serial=$(_ib_serial) \
	append=$(strip $(VM_APPEND))
_ib_opt_run := dir=$(abspath $(_ib_dir)) target=$(VM_TARGET) \
	memory=$(VM_MEMORY) cpus=$(VM_CPUS) net=$(VM_NET) cdrom=$(VM_CDROM)

# $(call _ib_record,NAME,TEXT): make $(VM_DIR)/NAME hold TEXT.
_ib_record = $(shell mkdir -p $(_ib_dir) && { \
	[ "$$(cat $(_ib_dir)/$(1) 2>/dev/null)" = $(call _ib_q,$(2)) ] || { \
	printf '%s\n' $(call _ib_q,$(2)) >$(_ib_dir)/$(1).tmp && \
	mv -f $(_ib_dir)/$(1).tmp $(_ib_dir)/$(1); }; })

ifneq ($(_ib_build),)
ifeq ($(strip $(ISO)),)
$(error isoboot.mk: ISO is not set: name the image to boot, as in \
	make ISO=alpine-virt-3.20.3-x86_64.iso)
endif
ifeq ($(wildcard $(ISO)),)
$(error isoboot.mk: ISO=$(ISO): no such file)
endif
_ib_recorded := $(call _ib_record,.opt-boot,$(_ib_opt_boot)) \
	$(call _ib_record,.opt-cmdline,$(_ib_opt_cmdline)) \
	$(call _ib_record,.opt-run,$(_ib_opt_run))

# The disk holds the guest's data: it is never remade, only noted.
_ib_disk_was := $(if $(wildcard $(_ib_dir)/disk.img),$(shell \
	cat $(_ib_dir)/.disk-size 2>/dev/null))
ifneq ($(_ib_disk_was),)
ifneq ($(strip $(_ib_disk_was)),$(strip $(DISK_SIZE)))
ifeq ($(value MAKE_RESTARTS),)
$(warning isoboot.mk: $(_ib_dir)/disk.img exists (made with \
	DISK_SIZE=$(strip $(_ib_disk_was))); not recreated for \
	DISK_SIZE=$(strip $(DISK_SIZE)): \
	remove it to make a new one)
endif
endif
endif

# The entry's file names: make remakes boot.mk when the ISO or the label
# changes, then reads it again.
-include $(_ib_dir)/boot.mk
endif

# Only the KERNEL and INITRD lines are kept, renamed, and only when their
# names are plain: they become make targets and shell words, and they
# come from the image.
$(_ib_dir)/boot.mk: $(ISO) $(_ib_dir)/.opt-boot
	@rm -f $@
	$(SYSLINUX2CMDLINE) -i $(ISO) $(strip $(_ib_label) --format make) \
	    >$@.raw || { rm -f $@.raw; exit 1; }
	@sed -n -e 's/^KERNEL := /ISOBOOT_BOOT_KERNEL := /p' \
	    -e 's/^INITRD := /ISOBOOT_BOOT_INITRD := /p' $@.raw >$@.tmp; \
	rm -f $@.raw; \
	if grep -v '^ISOBOOT_BOOT_[A-Z]* := [A-Za-z0-9/._+ -]*$$' $@.tmp \
	    >/dev/null || ! grep '^ISOBOOT_BOOT_KERNEL := .' $@.tmp \
	    >/dev/null; then \
		echo "isoboot.mk: $(ISO): no kernel, or a file name make" \
		    "cannot handle (plain names: letters, digits, /._+-):" >&2; \
		sed 's/^/	/' $@.tmp >&2; rm -f $@.tmp; exit 1; \
	fi; \
	mv -f $@.tmp $@

ifeq ($(ISOBOOT_BOOT_KERNEL),)
# boot.mk could not be made (the error is above): make goes on without it.
vm: _ib_noboot
_ib_noboot:
	@echo "isoboot.mk: $(ISO): no boot entry read (see above)" >&2; exit 1
else
vm: $(ISOBOOT_KERNEL) $(ISOBOOT_INITRD) $(_ib_dir)/cmdline \
	$(_ib_dir)/disk.img $(_ib_dir)/run

# One stamp for the one extraction, so that make -j runs it once. Its
# temporary is made first: the files extracted after it are newer than
# the stamp, and so up to date. It lists every name ever extracted, for
# clean-vm. A file gone from VM_DIR forces the extraction again.
_ib_missing := $(filter-out $(wildcard $(ISOBOOT_KERNEL) $(ISOBOOT_INITRD)), \
	$(ISOBOOT_KERNEL) $(ISOBOOT_INITRD))
$(_ib_dir)/.extracted: $(ISO) $(_ib_dir)/.opt-boot \
	$(if $(_ib_missing),_ib_force)
	@{ cat $@ 2>/dev/null; printf '%s\n' $(notdir $(ISOBOOT_KERNEL) \
	    $(ISOBOOT_INITRD)); } | sort -u >$@.tmp
	$(ISOBOOT_EXTRACT) $(ISO) $(strip -C $(_ib_dir) $(_ib_label)) \
	    >/dev/null || { rm -f $@.tmp; exit 1; }
	@mv -f $@.tmp $@
$(ISOBOOT_KERNEL) $(ISOBOOT_INITRD): $(_ib_dir)/.extracted ;
endif
_ib_force:

_ib_cmdline_args = $(strip $(_ib_label) $(_ib_serial) $(if $(strip \
	$(VM_APPEND)),--append $(call _ib_q,$(strip $(VM_APPEND)))))
$(_ib_dir)/cmdline: $(ISO) $(_ib_dir)/.opt-cmdline
	$(SYSLINUX2CMDLINE) -i $(ISO) $(_ib_cmdline_args) >$@.tmp || \
	    { rm -f $@.tmp; exit 1; }
	@mv -f $@.tmp $@

# mkdisk never replaces a file; this rule runs only when there is none.
$(_ib_dir)/disk.img:
	@mkdir -p $(_ib_dir)
	$(MKDISK) $(DISK_SIZE) $@
	@printf '%s\n' $(call _ib_q,$(strip $(DISK_SIZE))) \
	    >$(_ib_dir)/.disk-size.tmp && \
	mv -f $(_ib_dir)/.disk-size.tmp $(_ib_dir)/.disk-size

# The command line is read from its file when the recipe runs, so that
# its quotes, $ and # reach isoboot-cmd as they are. A new disk does not
# change the script: it is only needed first.
_ib_cmd_args = $(strip $(if $(VM_TARGET),-t $(VM_TARGET)) \
	--kernel $(ISOBOOT_KERNEL) $(foreach i,$(ISOBOOT_INITRD),--initrd $(i)) \
	--disk $(_ib_dir)/disk.img -C $(_ib_dir) \
	$(if $(VM_MEMORY),-m $(VM_MEMORY)) $(if $(VM_CPUS),-c $(VM_CPUS)) \
	$(if $(VM_NET),--net $(VM_NET)) $(if $(VM_CDROM),--cdrom $(VM_CDROM)))
$(_ib_dir)/run: $(ISOBOOT_KERNEL) $(ISOBOOT_INITRD) $(_ib_dir)/cmdline \
	$(_ib_dir)/.opt-run | $(_ib_dir)/disk.img
	$(ISOBOOT_CMD) $(_ib_cmd_args) --cmdline "$$(cat $(_ib_dir)/cmdline)" \
	    --script >$@.tmp || { rm -f $@.tmp; exit 1; }
	@chmod +x $@.tmp && mv -f $@.tmp $@

run: vm
	exec $(abspath $(_ib_dir))/run

# What isoboot.mk and isoboot-cmd make in VM_DIR (and their
# temporaries), and what the run script leaves there while it runs.
_ib_made := boot.mk boot.mk.raw boot.mk.tmp cmdline cmdline.tmp run \
	run.tmp .extracted .extracted.tmp .opt-boot .opt-boot.tmp \
	.opt-cmdline .opt-cmdline.tmp .opt-run .opt-run.tmp .disk-size.tmp \
	initrd.img initrd-joined.img Image run.pid tty vpnkit.eth.sock \
	vpnkit.port.sock

# The extracted files are named in .extracted; their names are plain
# (boot.mk checked them), and set -f keeps the shell from globbing them.
clean-vm:
	@set -f; for f in $$(cat $(_ib_dir)/.extracted 2>/dev/null); do \
		rm -f "$(_ib_dir)/$$f" || :; \
	done
	@rm -f $(addprefix $(_ib_dir)/,$(_ib_made))
	@echo "isoboot.mk: removed the kernel, initrds, cmdline, run and" \
	    "state files in $(_ib_dir)"
	@if [ -f $(_ib_dir)/disk.img ]; then \
		echo "isoboot.mk: kept $(_ib_dir)/disk.img, the VM's disk" \
		    "(and its .disk-size): rm $(_ib_dir)/disk.img to remove it"; \
	else \
		rm -f $(_ib_dir)/.disk-size; rmdir $(_ib_dir) 2>/dev/null || :; \
	fi
