#!/usr/bin/env python
'''
De-smoothing: recovers the details of a smoothed image with cv2.desmooth (DeSmoothGAN).

Usage:
    desmooth.py INPUT OUTPUT [--model FILE] [--strength S] [--detail T] [--smoother SPEC|auto] [--photo FILE]

    INPUT     a smoothed image (any format cv.imread reads; 8- or 16-bit, gray, BGR or BGRA)
    OUTPUT    where the recovered image goes (same type as INPUT)
    --model   a model file from desmooth_train; default: the bundled model
    --strength  0 returns the input, 1 the model's output (default 1)
    --detail  0 the fidelity end, 1 the detail end, for models with both (default: the model's own)
    --smoother  the smoother that made INPUT, when it is known (a cv.desmooth.Smoother.create spec, e.g.
              l0:lambda=0.02,kappa=2): the recovery is made consistent with it; auto estimates it
    --photo   the unsmoothed photo, to print PSNR and SSIM of input and output against it

Needs OpenCV built with the desmooth module (README: "From Python").
'''
import argparse
import sys

import cv2 as cv


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('input')
    parser.add_argument('output')
    parser.add_argument('--model', default='')
    parser.add_argument('--strength', type=float, default=1.0)
    parser.add_argument('--detail', type=float)
    parser.add_argument('--smoother')
    parser.add_argument('--photo')
    args = parser.parse_args()

    smoothed = cv.imread(args.input, cv.IMREAD_UNCHANGED)
    if smoothed is None:
        sys.exit('desmooth.py: cannot read ' + args.input)
    try:
        desmoother = cv.desmooth.DeSmoother.create(args.model)
        desmoother.setStrength(args.strength)
        if args.detail is not None:
            desmoother.setDetail(args.detail)
        if args.smoother is None:
            recovered = desmoother.recover(smoothed)
        else:  # a spec or 'auto': DeSmoother.recover parses either
            recovered = desmoother.recover(smoothed, args.smoother)
    except cv.error as e:
        sys.exit('desmooth.py: ' + str(e))
    if not cv.imwrite(args.output, recovered):
        sys.exit('desmooth.py: cannot write ' + args.output)
    print('recovered %s -> %s (%dx%d)' % (args.input, args.output, smoothed.shape[1], smoothed.shape[0]))

    if args.photo:
        photo = cv.imread(args.photo, cv.IMREAD_UNCHANGED)
        if photo is None or photo.shape != smoothed.shape:
            sys.exit('desmooth.py: cannot read %s, or its size differs from the input' % args.photo)
        for name, image in (('input', smoothed), ('recovered', recovered)):
            print('%-9s PSNR %.2f dB  SSIM %.4f' % (name, cv.desmooth.psnr(image, photo), cv.desmooth.ssim(image, photo)))


if __name__ == '__main__':
    main()
