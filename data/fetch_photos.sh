#!/usr/bin/env bash
# Builds a folder of real photographs from Debian packages without installing them (apt-get download + dpkg -x):
# the photographs among opencv-doc's examples/data, the photographic wallpapers of plasma-workspace-wallpapers (the
# one full-size file each ships), the face crops of libdlib19.1's examples/johns and GNOME's account pictures.
# Usage: data/fetch_photos.sh [DEST]   (default: data/photos_fetched). Re-running skips what is there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-$here/photos_fetched}
if [ -f "$dest/.complete" ]; then
    echo "fetch_photos: $dest already complete ($(find "$dest" -type f -name '*.*g' | wc -l) photos)"
    exit 0
fi
work=$(mktemp -d)
chmod a+rwx "$work" # apt-get download runs as the _apt user where it can
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"

(cd "$work" && apt-get download opencv-doc plasma-workspace-wallpapers libdlib19.1 gnome-control-center-data >/dev/null)
for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/root"; done
root=$work/root/usr/share

# opencv-doc: photographs only (no logos, drawings, renders, calibration boards or synthetic patterns)
mkdir -p "$dest/opencv"
for name in aero1.jpg aero3.jpg aloeL.jpg apple.jpg baboon.jpg basketball1.png board.jpg box_in_scene.png \
            building.jpg butterfly.jpg chicky_512.png ela_original.jpg fruits.jpg graf1.png home.jpg leuvenA.jpg \
            leuvenB.jpg left.jpg messi5.jpg orange.jpg right.jpg rubberwhale1.png smarties.png squirrel_cls.jpg \
            stuff.jpg; do
    cp "$root/doc/opencv-doc/examples/data/$name" "$dest/opencv/"
done

# plasma wallpapers: the photographic ones; every size but one is a link to the full-size file
mkdir -p "$dest/wallpapers"
for name in BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path \
            Shell summer_1am; do
    file=$(find "$root/wallpapers/$name/contents/images" -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' \) \
           -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
    cp "$file" "$dest/wallpapers/$name.${file##*.}"
done

# dlib: 150x150 face crops, one folder per person
mkdir -p "$dest/johns"
find "$root/doc/libdlib19.1/examples/johns" -name '*.jpg' | while read -r f; do
    cp "$f" "$dest/johns/$(basename "$(dirname "$f")")_$(basename "$f")"
done

# GNOME account pictures (photographs; the legacy/ duplicates left out)
mkdir -p "$dest/gnome-faces"
find "$root/pixmaps/faces" -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' \) -exec cp {} "$dest/gnome-faces/" \;

touch "$dest/.complete"
echo "fetch_photos: $(find "$dest" -type f \( -name '*.jpg' -o -name '*.png' \) | wc -l) photos in $dest"
