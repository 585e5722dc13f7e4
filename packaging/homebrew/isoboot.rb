# SPDX-License-Identifier: GPL-3.0-or-later
# Homebrew formula for isoboot (brew install --HEAD ./isoboot.rb). A
# release adds `url` and `sha256` of `make dist`'s reproducible tarball.
class Isoboot < Formula
  desc "Turn a Linux ISO into a VM that boots in hyperkit, vfkit or qemu"
  homepage "https://github.com/isoboot/isoboot"
  license "GPL-3.0-or-later"
  head "https://github.com/isoboot/isoboot.git", branch: "main"

  depends_on "check" => :build
  depends_on "pkgconf" => :build
  depends_on "libarchive"
  depends_on "libcdio"
  depends_on "e2fsprogs"

  uses_from_macos "zlib"

  def install
    system "make", "PREFIX=#{prefix}", "install"
    pkgshare.install "fixtures/tiny.iso.gz"
  end

  test do
    system bin/"mkdisk", "1m", testpath/"disk.img"
    assert_equal 1_048_576, File.size(testpath/"disk.img")
    assert_match "exists (use --force",
                 shell_output("#{bin}/mkdisk 1m #{testpath}/disk.img 2>&1", 1)
    assert_match "README.TXT",
                 shell_output("#{bin}/isoboot-extract -t #{pkgshare}/tiny.iso.gz")
    assert_equal "#{pkgshare}/isoboot.mk",
                 shell_output("#{bin}/isoboot --mk-path").chomp
  end
end
