#!/usr/bin/env bash
# Builds a folder of real photographs from Debian packages without installing them (apt-get download + dpkg -x).
# Every source, its selection rule and its licence: data/README.md. Photographs only: drawings, renders, logos and
# icons are left out by name, and cut-outs (tuxpaint stamps, stellarium landscape layers) keep only their largest
# fully opaque rectangle, refused when it is small or has the few colours of a drawing (data/tools/prepare_photo).
# Identical contents are kept once. Usage: data/fetch_photos.sh [DEST]   (default: data/photos_fetched).
# Re-running skips what is there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-$here/photos_fetched}
if [ -f "$dest/.complete" ]; then
    echo "fetch_photos: $dest already complete ($(find "$dest" -type f \( -name '*.jpg' -o -name '*.png' \) | wc -l) photos)"
    exit 0
fi
work=$(mktemp -d)
chmod a+rwx "$work" # apt-get download runs as the _apt user where it can
trap 'rm -rf "$work"' EXIT
rm -rf "$dest"
mkdir -p "$dest"

packages=(opencv-doc plasma-workspace-wallpapers libdlib19.1 gnome-control-center-data lomiri-wallpapers-16.04 lomiri-wallpapers-20.04
          mate-backgrounds palapeli-data stellarium-data tuxpaint-stamps-default gimp-data extremetuxracer-data python3-skimage)
(cd "$work" && apt-get download "${packages[@]}" >/dev/null 2>&1) ||
    { echo "fetch_photos: apt-get download failed (run 'apt-get update' first?)" >&2; exit 1; }
for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/root"; done
root=$work/root/usr/share

prepare=$work/prepare_photo
c++ -O2 -std=c++17 "$here/tools/prepare_photo.cpp" -o "$prepare" $(pkg-config --cflags --libs opencv4)

# copy SOURCE_FOLDER DEST_SUBFOLDER FILE...: plain copies of photographs chosen by name
copy() {
    local from=$1 to=$2
    shift 2
    mkdir -p "$dest/$to"
    for name in "$@"; do cp "$from/$name" "$dest/$to/"; done
}

# cut_out SUBFOLDER MIN_SIDE MIN_COLOURS FILE...: the opaque part of cut-outs, refused when small or drawing-like
# (the refusals, expected, go to a log that is shown only when a photo could not be written); one process for all
cut_out() {
    local to=$1 side=$2 colours=$3
    shift 3
    mkdir -p "$dest/$to"
    local pairs=() file name
    for file in "$@"; do
        name=${file#"$root"/}
        name=${name//\//_}
        pairs+=("$file" "$dest/$to/${name%.*}.png")
    done
    [ ${#pairs[@]} -gt 0 ] || return 0
    "$prepare" --min-side "$side" --min-colours "$colours" "${pairs[@]}" 2>"$work/refused.log" ||
        { cat "$work/refused.log" >&2; echo "fetch_photos: preparing $to failed" >&2; exit 1; }
}

# opencv-doc: photographs only (no logos, drawings, renders, calibration boards or synthetic patterns)
copy "$root/doc/opencv-doc/examples/data" opencv aero1.jpg aero3.jpg aloeL.jpg apple.jpg baboon.jpg \
    basketball1.png board.jpg box_in_scene.png building.jpg butterfly.jpg chicky_512.png ela_original.jpg fruits.jpg \
    graf1.png home.jpg leuvenA.jpg leuvenB.jpg left.jpg messi5.jpg orange.jpg right.jpg rubberwhale1.png \
    smarties.png squirrel_cls.jpg stuff.jpg

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
# dlib: its other example photos (people, dogs, cars) and every eighth frame of its video (neighbours repeat)
copy "$root/doc/libdlib19.1/examples/faces" dlib 2007_007763.jpg 2008_001009.jpg 2008_001322.jpg 2008_002079.jpg \
    2008_002470.jpg 2008_002506.jpg 2008_004176.jpg 2008_007676.jpg 2009_004587.jpg bald_guys.jpg dogs.jpg
copy "$root/doc/libdlib19.1/examples" dlib mmod_cars_test_image.jpg mmod_cars_test_image2.jpg
find "$root/doc/libdlib19.1/examples/video_frames" -name '*.jpg' | sort | awk 'NR % 8 == 1' |
    while read -r f; do cp "$f" "$dest/dlib/video_$(basename "$f")"; done

# GNOME account pictures (photographs; the legacy/ duplicates left out)
mkdir -p "$dest/gnome-faces"
find "$root/pixmaps/faces" -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' \) -exec cp {} "$dest/gnome-faces/" \;

# Ubuntu 16.04 and 20.04 wallpapers (lomiri-wallpapers-16.04, -20.04): the photographs (the paintings and renders left out)
copy "$root/backgrounds" lomiri Bridge_by_Sander_Klootwijk.jpg Dragonfly_by_Bolly.jpg Kleiber_by_Lukas_Baubkus.jpg \
    Picture_0B_by_freespace.jpg Picture_1A_by_freespace.jpg Wine_by_Jakkub_Mede.jpg \
    aitzgorri_by_Aitzol_Berasategi.jpg free_by_Peter_Nerlich.jpg friends_by_Aitzol_Berasategi.jpg \
    life_by_Aitzol_Berasategi.jpg picosdeeuropa_by_Aitzol_Berasategi.jpg seeding_by_Clements_Engelhardt.jpg \
    sunset_by_Aitzol_Berasategi.jpg

# MATE's nature backgrounds: all photographs
copy "$root/backgrounds/mate/nature" mate Aqua.jpg Blinds.jpg Dune.jpg FreshFlower.jpg Garden.jpg GreenMeadow.jpg \
    LadyBird.jpg RainDrops.jpg Storm.jpg TwoWings.jpg Wood.jpg YellowFlower.jpg

# Palapeli's puzzle photographs
copy "$root/palapeli/collection" palapeli castle-maintenon.jpg cincinnati-bridge.jpg citrus-fruits.jpg \
    european-honey-bee.jpg panther-chameleon-female.jpg

# scikit-image's example photographs (its drawings, scans and test patterns left out)
copy "$work/root/usr/lib/python3/dist-packages/skimage/data" skimage astronaut.png brick.png camera.png chelsea.png \
    coffee.png coins.png grass.png gravel.png hubble_deep_field.jpg moon.png motorcycle_left.png rocket.jpg

# Stellarium: the photographed landscape panoramas (layers with a transparent sky: their opaque part), and every
# fourth of its telescope photographs of nebulae and galaxies
cut_out stellarium 128 0.02 $(find "$root/stellarium/landscapes"/{garching,guereins,hurricane,ocean,grossmugl,mars,moon} \
    -type f \( -name '*.png' -o -name '*.jpg' \) ! -name '*fog*' ! -name '*illum*' ! -name '*lgt*' | sort)
cut_out stellarium-nebulae 128 0.02 $(find "$root/stellarium/nebulae/default" -type f -name '*.png' | sort |
    awk 'NR % 3 == 1')

# Tux Paint's photographic stamps (its drawings are refused by their colour count)
cut_out tuxpaint 96 0.15 $(find "$root/tuxpaint/stamps" -type f -name '*.png' ! -name '*_back*' | sort)

# GIMP's photographic patterns (its rendered ones left out by name) and Extreme Tux Racer's terrain photographs
cut_out gimp 64 0.02 $(for name in Animal/leather Fabric/burlap Food/java Paper/crinklepaper Paper/paper Stone/brick \
    Stone/granite1 Stone/ground1 Stone/marble1 Stone/marble2 Stone/marble3 Stone/pink_marble Stone/rock \
    Stone/slate Stone/stone33 Wood/bark Wood/burlwood Wood/parque1 Wood/parque2 Wood/parque3 Wood/walnut \
    Wood/wood1 Wood/wood5; do echo "$root/gimp/2.0/patterns/$name.pat"; done)
cut_out etr 128 0.02 $(find "$root/games/etr/terrains" -maxdepth 1 -type f -name '*.png' | sort)

# The same content twice (a package shipping one photo under two names) is kept once.
find "$dest" -type f \( -name '*.jpg' -o -name '*.png' \) -print0 | xargs -0 sha256sum | sort |
    awk 'seen[$1]++ { print $2 }' | xargs -r rm -f

touch "$dest/.complete"
echo "fetch_photos: $(find "$dest" -type f \( -name '*.jpg' -o -name '*.png' \) | wc -l) photos in $dest"
