#!/usr/bin/env bash
# Builds the file tree the container image adds on top of `scratch` (Jib's extraDirectories):
#   /opt/java/openjdk   a Java runtime cut by jlink from the JDK that runs the build, with only the
#                       modules the gateway needs
#   /lib..., /lib64/... the shared libraries that runtime links against (glibc, libstdc++, libz, ...),
#                       found with ldd, copied to the paths the dynamic loader looks them up at
#   /usr/lib/locale     glibc's C.UTF-8 locale, so LANG=C.UTF-8 makes Java's encodings UTF-8
#   /etc                passwd, group (a non-root user 10001 "gateway") and nsswitch.conf
#   /tmp                for Java's and Vert.x's temporary files
# No registry is needed, so the build works where only Maven Central is reachable.
#
# usage: build-rootfs.sh JAVA_HOME OUTPUT_DIR
# The output is reused while the JDK and this script (with its module list) are unchanged (a stamp file
# beside it), so only the first build pays for jlink; `mvn clean` picks up updated system libraries.
# Assumes glibc 2.34 or later (Debian 12 has 2.36), whose NSS "files" and "dns" are built into libc:
# older ones load libnss_*.so at run time, which ldd does not list.
set -euo pipefail

java_home=$1
out=$2

# From `jdeps --print-module-deps --multi-release 17 gateway.jar`, less java.compiler (only Vert.x's
# Java-source verticles use it), plus what jdeps cannot see because it is found through ServiceLoader:
# jdk.crypto.ec (TLS's EC key exchange and certificates). java.desktop stays for java.beans, which
# SnakeYAML (YAML config files) needs in every Yaml constructor; its native AWT, font, image and
# sound libraries are left out, so no X11 library follows them in.
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported
jlink_excludes='glob:/java.desktop/lib/**'

stamp="$out.stamp"
want="$("$java_home/bin/java" -version 2>&1 | tr '\n' ' ') $(sha256sum "$0" | cut -c1-16)"
if [[ -f $stamp && -d $out && "$(cat "$stamp")" == "$want" ]]; then
  echo "image rootfs $out is up to date"
  exit 0
fi

rm -rf "$out" "$stamp"
mkdir -p "$out/opt/java" "$out/etc" "$out/tmp"
runtime="$out/opt/java/openjdk"

"$java_home/bin/jlink" --add-modules "$modules" --exclude-files="$jlink_excludes" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$runtime"
# jlink links the legal notices between modules; keep plain files so every layer entry is a file.
find "$runtime" -type l | while read -r link; do
  cp --remove-destination "$(readlink -f "$link")" "$link"
done

# The shared libraries every executable and library of the runtime needs, outside the runtime itself.
declare -A libs=()
while read -r elf; do
  while read -r line; do
    case $line in
      *"not found"*)
        name=${line%% *}
        if [[ -z $(find "$runtime" -name "$name" -print -quit) ]]; then
          echo "ldd: $elf needs $name, found nowhere" >&2
          exit 1
        fi ;;
      *"=> /"*) path=${line#*=> }; libs[${path%% (*}]=1 ;;
      /*) libs[${line%% (*}]=1 ;;   # the dynamic loader itself
    esac
  done < <(ldd "$elf" 2>/dev/null || true)
done < <(find "$runtime" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \))
copied=()
for lib in "${!libs[@]}"; do
  case $lib in "$runtime"/*) continue ;; esac
  copied+=("$lib")
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done

# Debian's libc-bin ships it; without it LANG=C.UTF-8 falls back to ASCII file names and output.
mkdir -p "$out/usr/lib/locale"
cp -r /usr/lib/locale/C.utf8 "$out/usr/lib/locale/"

cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
gateway:x:10001:10001:WARP registrations gateway:/tmp:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
gateway:x:10001:
GROUP
cat > "$out/etc/nsswitch.conf" <<'NSS'
passwd: files
group: files
hosts: files dns
NSS

echo "$want" > "$stamp"
echo "image rootfs $out: $(du -sh "$out" | cut -f1), shared libraries: ${copied[*]}"
