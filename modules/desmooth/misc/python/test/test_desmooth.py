#!/usr/bin/env python
# This file is part of the desmooth project, an OpenCV module.
# It is subject to the license terms in the LICENSE file found in the top-level directory
# of this distribution.
"""cv2.desmooth from Python, on the repository's photos: dtypes, layouts, sizes, errors, the bundled model.

Run with OpenCV's Python test runner (scripts/check_in_opencv_tree.sh does):
    OPENCV_PYTEST_FILTER=test_desmooth python3 <opencv>/modules/python/test/test.py --repo <opencv>
"""
import math
import os

import numpy as np
import cv2 as cv

from tests_common import NewOpenCVTests

DATA_DIR = os.environ.get(
    'DESMOOTH_DATA_DIR',
    os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', '..', 'data'))


class desmooth_test(NewOpenCVTests):

    def read(self, relative, flags=cv.IMREAD_COLOR):
        path = os.path.join(DATA_DIR, relative)
        image = cv.imread(path, flags)
        if image is None:
            self.skipTest('missing test data: ' + path)
        return image

    def smoothed_and_photo(self, side=160):
        """The committed L0-smoothed butterfly and its photo, cropped to side x side (fast enough per test)."""
        smoothed = self.read('smoothed/butterfly_l0.png')[:side, :side]
        photo = self.read('photos/butterfly.jpg')[:side, :side]
        return np.ascontiguousarray(smoothed), np.ascontiguousarray(photo)

    def test_bundled_model_is_present(self):
        self.assertTrue(cv.desmooth.haveBundledModel())
        config, keys, values = cv.desmooth.readModelInfo('')
        self.assertEqual(config.architecture, 'restore')
        self.assertEqual(config.smoother, 'l0')
        self.assertEqual(len(keys), len(values))
        self.assertGreater(len(keys), 0)

    def test_recover_uint8_bgr(self):
        smoothed, photo = self.smoothed_and_photo()
        recovered = cv.desmooth.recover(smoothed)
        self.assertEqual(recovered.shape, smoothed.shape)
        self.assertEqual(recovered.dtype, np.uint8)
        # The model changes the image, and not for the worse (the whole photo gains 0.29 dB on average over the four).
        self.assertGreater(np.abs(recovered.astype(np.float64) - smoothed).mean(), 0.1)
        self.assertGreater(cv.desmooth.psnr(recovered, photo), cv.desmooth.psnr(smoothed, photo) - 0.5)
        # The function and the object give the same result.
        desmoother = cv.desmooth.DeSmoother.create('')
        self.assertEqual(cv.norm(desmoother.recover(smoothed), recovered, cv.NORM_INF), 0)

    def test_recover_keeps_dtype_and_range(self):
        smoothed, _ = self.smoothed_and_photo(96)
        reference = cv.desmooth.recover(smoothed).astype(np.float64)
        for dtype, scale in ((np.uint16, 257.0), (np.float32, 1.0 / 255)):
            out = cv.desmooth.recover((smoothed * scale).astype(dtype))
            self.assertEqual(out.dtype, dtype)
            self.assertEqual(out.shape, smoothed.shape)
            # Same recovery on another scale: within the rounding of 8 bits.
            self.assertLessEqual(np.abs(out.astype(np.float64) / scale - reference).max(), 1.0, str(dtype))

    def test_recover_gray_bgra_odd_sizes(self):
        smoothed, _ = self.smoothed_and_photo(96)
        odd = np.ascontiguousarray(smoothed[:37, :53])
        self.assertEqual(cv.desmooth.recover(odd).shape, (37, 53, 3))
        gray = cv.cvtColor(odd, cv.COLOR_BGR2GRAY)
        self.assertEqual(cv.desmooth.recover(gray).shape, (37, 53))
        bgra = cv.cvtColor(odd, cv.COLOR_BGR2BGRA)
        bgra[:, :, 3] = np.arange(53, dtype=np.uint8)[None, :]
        out = cv.desmooth.recover(bgra)
        self.assertEqual(out.shape, (37, 53, 4))
        self.assertTrue(np.array_equal(out[:, :, 3], bgra[:, :, 3]))  # alpha passes through

    def test_desmoother_settings(self):
        desmoother = cv.desmooth.DeSmoother.create('')
        config = desmoother.getConfig()
        # The bundled model: restore grown to four levels, channels capped at 48 (data/models/README.md).
        self.assertEqual((config.architecture, config.depth, config.ngf, config.maxChannels), ('restore', 4, 12, 48))
        desmoother.setStrength(0.0)
        self.assertEqual(desmoother.getStrength(), 0.0)
        smoothed, _ = self.smoothed_and_photo(64)
        # Strength 0 returns the input.
        self.assertEqual(cv.norm(desmoother.recover(smoothed), smoothed, cv.NORM_INF), 0)
        if desmoother.hasDetailEnd():
            desmoother.setDetail(1.0)
            self.assertEqual(desmoother.getDetail(), 1.0)
        # Tiles bound memory on large images; 0 never tiles.
        desmoother.setTileSize(0)
        self.assertEqual(desmoother.getTileSize(), 0)
        with self.assertRaises(cv.error):
            desmoother.setTileSize(100)
        # The self-ensemble: the mean over flips (and transposes); its own range.
        desmoother.setStrength(1.0)
        plain = desmoother.recover(smoothed)
        flipped = cv.flip(desmoother.recover(cv.flip(smoothed, 1)), 1)
        desmoother.setSelfEnsemble(2)
        self.assertEqual(desmoother.getSelfEnsemble(), 2)
        ensemble = desmoother.recover(smoothed)
        expected = ((plain.astype(np.float32) + flipped.astype(np.float32)) / 2).round()
        self.assertLessEqual(np.abs(ensemble.astype(np.float32) - expected).max(), 1)
        with self.assertRaises(cv.error):
            desmoother.setSelfEnsemble(3)

    def test_smoothers(self):
        _, photo = self.smoothed_and_photo(96)
        l0 = cv.desmooth.L0Smooth(photo, lambda_=0.02, kappa=2.0)
        self.assertEqual(l0.shape, photo.shape)
        self.assertEqual(cv.norm(cv.desmooth.L0Smoother.create(0.02, 2.0).apply(photo), l0, cv.NORM_INF), 0)
        smoother = cv.desmooth.Smoother.create('l0:lambda=0.02,kappa=2')
        self.assertEqual(cv.norm(smoother.apply(photo), l0, cv.NORM_INF), 0)
        self.assertEqual(smoother.describe(), 'l0:lambda=0.02,kappa=2')
        # Smoothing removes detail.
        self.assertLess(cv.desmooth.detailRatio(l0, photo), 0.5)
        # The kinds no model trained on: the same filters as OpenCV's own.
        median = cv.desmooth.Smoother.createMedian(5)
        self.assertEqual(median.describe(), 'median:ksize=5')
        self.assertEqual(cv.norm(median.apply(photo), cv.medianBlur(photo, 5), cv.NORM_INF), 0)
        self.assertEqual(cv.desmooth.Smoother.create('domain_transform').describe(),
                         'domain_transform:sigma_s=30,sigma_r=40')

    def test_reverse_filter_and_known_smoother_recovery(self):
        _, photo = self.smoothed_and_photo(128)
        smoother = cv.desmooth.Smoother.create('bilateral:d=9,sigma_color=50,sigma_space=5')
        smoothed = smoother.apply(photo)
        reversed_ = cv.desmooth.reverseFilter(smoothed, smoother, iterations=5, method=cv.desmooth.REVERSE_FILTER_T)
        self.assertEqual(reversed_.shape, photo.shape)
        self.assertGreater(cv.desmooth.psnr(reversed_, photo), cv.desmooth.psnr(smoothed, photo) + 1.0)
        # A guided filter is explained within 8-bit rounding in a few iterations: the stop keeps the
        # iterations after it from amplifying the rounding.
        guided = cv.desmooth.Smoother.create('guided:radius=4,eps=400')
        guided_smoothed = guided.apply(photo)
        stopped = cv.desmooth.reverseFilter(guided_smoothed, guided, iterations=12, stopAtRounding=True)
        unstopped = cv.desmooth.reverseFilter(guided_smoothed, guided, iterations=12)
        self.assertGreater(cv.desmooth.psnr(stopped, photo), cv.desmooth.psnr(unstopped, photo))
        desmoother = cv.desmooth.DeSmoother.create('')
        blind = desmoother.recover(smoothed)
        known = desmoother.recover(smoothed, smoother)
        self.assertGreater(cv.desmooth.psnr(known, photo), cv.desmooth.psnr(blind, photo))
        by_spec = desmoother.recover(smoothed, 'bilateral:d=9,sigma_color=50,sigma_space=5')
        self.assertEqual(cv.norm(by_spec, known, cv.NORM_INF), 0)
        desmoother.setSmoother(smoother)
        self.assertEqual(desmoother.getSmoother().describe(), smoother.describe())
        self.assertEqual(cv.norm(desmoother.recover(smoothed), known, cv.NORM_INF), 0)
        # The steps from the input too (the default), or from the network's recovery alone: another result.
        self.assertTrue(desmoother.getConsistencyFromInput())
        desmoother.setConsistencyFromInput(False)
        self.assertFalse(desmoother.getConsistencyFromInput())
        self.assertGreater(cv.norm(desmoother.recover(smoothed), known, cv.NORM_INF), 0)
        desmoother.setConsistencyFromInput(True)
        self.assertEqual(desmoother.recover(smoothed, 'auto').shape, photo.shape)
        # "auto" takes its own, smaller number of steps; 0 is blind recovery.
        self.assertEqual(desmoother.getAutoIterations(), 2)
        # Its steps may move the recovery at most 0.75 times as far as the network moved it (0: no limit).
        self.assertEqual(desmoother.getAutoMoveLimit(), 0.75)
        desmoother.setAutoMoveLimit(0)
        self.assertEqual(desmoother.getAutoMoveLimit(), 0)
        with self.assertRaises(cv.error):
            desmoother.setAutoMoveLimit(-1)
        desmoother.setAutoIterations(0)
        self.assertEqual(cv.norm(desmoother.recover(smoothed, 'auto'), blind, cv.NORM_INF), 0)

    def test_smoother_from_python_function(self):
        _, photo = self.smoothed_and_photo(96)
        seen = []

        def blur(image):
            seen.append((image.dtype, image.shape))
            return cv.GaussianBlur(image, (0, 0), 2, borderType=cv.BORDER_REFLECT_101)

        own = cv.desmooth.Smoother_createFromFunction(blur, 'my blur')
        kind = cv.desmooth.Smoother.create('gaussian:sigma=2')
        self.assertEqual(own.describe(), 'my blur')
        # The same filter as the Gaussian kind, given float32 on the 0..255 scale.
        self.assertEqual(cv.norm(own.apply(photo), kind.apply(photo), cv.NORM_INF), 0)
        self.assertEqual(seen[-1], (np.dtype(np.float32), photo.shape))
        smoothed = kind.apply(photo)
        self.assertEqual(cv.norm(cv.desmooth.reverseFilter(smoothed, own),
                                 cv.desmooth.reverseFilter(smoothed, kind), cv.NORM_INF), 0)
        desmoother = cv.desmooth.DeSmoother.create('')
        self.assertEqual(cv.norm(desmoother.recover(smoothed, own), desmoother.recover(smoothed, kind),
                                 cv.NORM_INF), 0)
        # Filters that take 8 bits only get uint8 where asked.
        median = cv.desmooth.Smoother_createFromFunction(lambda image: cv.medianBlur(image, 7), 'm', cv.CV_8U)
        self.assertEqual(cv.norm(median.apply(photo), cv.medianBlur(photo, 7), cv.NORM_INF), 0)

        def fails(image):
            raise ValueError('out of film')

        with self.assertRaises(cv.error) as raised:
            cv.desmooth.reverseFilter(smoothed, cv.desmooth.Smoother_createFromFunction(fails, 'fails'))
        self.assertIn("smoother 'fails': the function raised ValueError: out of film", str(raised.exception))
        for returned, expected in ((lambda image: None, 'returned None'),
                                   (lambda image: 'a string', 'returned str'),
                                   (lambda image: image[::2], 'the function returned a 96x48 image')):
            with self.assertRaises(cv.error) as raised:
                cv.desmooth.Smoother_createFromFunction(returned, 'bad').apply(photo)
            self.assertIn(expected, str(raised.exception))
        with self.assertRaises(TypeError):
            cv.desmooth.Smoother_createFromFunction('not callable', 'x')
        with self.assertRaises(cv.error):
            cv.desmooth.Smoother_createFromFunction(blur, '')

    def test_estimate_smoother(self):
        _, photo = self.smoothed_and_photo(128)
        smoothed = cv.desmooth.Smoother.create('guided:radius=3,eps=300').apply(photo)
        # The score alone, without the classifier: the photo as the recovery explains the input exactly.
        found, scores = cv.desmooth.estimateSmoother(smoothed, photo, useClassifier=False)
        self.assertTrue(found.describe().startswith('guided'), found.describe())
        self.assertEqual(len(scores), len(cv.desmooth.defaultSmootherCandidates()))
        with self.assertRaises(cv.error):
            cv.desmooth.estimateSmoother(smoothed, photo, ['no-such-smoother'])

    def test_l0_border(self):
        _, photo = self.smoothed_and_photo(256)
        circular = cv.desmooth.L0Smooth(photo, lambda_=0.02, kappa=2.0)
        replicate = cv.desmooth.L0Smooth(photo, lambda_=0.02, kappa=2.0, border=cv.desmooth.L0_BORDER_REPLICATE)
        self.assertGreaterEqual(cv.desmooth.l0ReplicateBorderScore(replicate), 2)
        self.assertLess(cv.desmooth.l0ReplicateBorderScore(circular), 2)
        self.assertEqual(cv.desmooth.estimateL0Border(replicate), cv.desmooth.L0_BORDER_REPLICATE)
        self.assertEqual(cv.desmooth.estimateL0Border(circular), cv.desmooth.L0_BORDER_CIRCULAR)
        with self.assertRaises(cv.error):
            cv.desmooth.l0ReplicateBorderScore(np.zeros((0, 0, 3), np.uint8))
        # A circular L0 smoother takes the border its input shows.
        l0 = cv.desmooth.Smoother.create('l0:lambda=0.02')
        self.assertEqual(cv.desmooth.withL0BorderOf(l0, replicate).describe(), 'l0:lambda=0.02,kappa=2,border=1')
        self.assertEqual(cv.desmooth.withL0BorderOf(l0, circular).describe(), 'l0:lambda=0.02,kappa=2')
        with self.assertRaises(cv.error):
            cv.desmooth.withL0BorderOf(l0, np.zeros((0, 0, 3), np.uint8))

    @staticmethod
    def through_jpeg(image, quality):
        _, encoded = cv.imencode('.jpg', image, [cv.IMWRITE_JPEG_QUALITY, quality])
        return cv.imdecode(encoded, cv.IMREAD_COLOR)

    def l0_smoothed_and_saved(self, quality):
        _, photo = self.smoothed_and_photo(256)
        smoothed = cv.desmooth.L0Smooth(photo, lambda_=0.02, kappa=2.0)
        return smoothed, self.through_jpeg(smoothed, quality)

    def test_jpeg_quality(self):
        smoothed, compressed = self.l0_smoothed_and_saved(70)
        self.assertEqual(cv.desmooth.estimateJpegQuality(compressed), 70)
        self.assertEqual(cv.desmooth.estimateJpegQuality(smoothed), 0)
        with self.assertRaises(cv.error):
            cv.desmooth.estimateJpegQuality(np.zeros((0, 0, 3), np.uint8))

    def test_jpeg_blocking(self):
        smoothed, compressed = self.l0_smoothed_and_saved(80)
        self.assertLess(cv.desmooth.jpegBlockingScore(smoothed), 1.2)
        self.assertGreaterEqual(cv.desmooth.jpegBlockingScore(compressed), 1.5)
        self.assertTrue(cv.desmooth.showsJpegBlocking(compressed))
        self.assertFalse(cv.desmooth.showsJpegBlocking(smoothed))
        # "auto" recovers blind what shows JPEG's block grid: a guided-filtered photo saved as JPEG, which the
        # classifier takes for smoothed (so without the check the consistency steps would run).
        guided = cv.desmooth.Smoother.create('guided:radius=4,eps=400').apply(self.read('photos/cat.jpg'))
        compressed = self.through_jpeg(guided, 80)
        self.assertTrue(cv.desmooth.showsJpegBlocking(compressed))
        self.assertNotEqual(cv.desmooth.classifySmoother(compressed), 'none')
        desmoother = cv.desmooth.DeSmoother.create('')
        self.assertEqual(cv.norm(desmoother.recover(compressed, 'auto'), desmoother.recover(compressed),
                                 cv.NORM_INF), 0)
        # What "auto" enforces: nothing on that input, the classifier's pick on the lossless one.
        self.assertEqual(desmoother.autoSmoother(compressed), '')
        picked = cv.desmooth.classifySmoother(guided)
        expected = '' if picked == 'none' else cv.desmooth.Smoother.create(picked).describe()
        self.assertEqual(desmoother.autoSmoother(guided), expected)
        # recoverAuto: recover(img, 'auto') and what it enforced, from one estimate.
        enforced, recovered = desmoother.recoverAuto(guided)
        self.assertEqual(enforced, expected)
        self.assertEqual(cv.norm(recovered, desmoother.recover(guided, 'auto'), cv.NORM_INF), 0)
        self.assertEqual(desmoother.recoverAuto(compressed)[0], '')

    def test_smoother_classifier(self):
        _, photo = self.smoothed_and_photo(256)
        smoothed = cv.desmooth.L0Smooth(photo, lambda_=0.02, kappa=2.0)
        features = cv.desmooth.smootherClassifierFeatures(smoothed)
        self.assertEqual(features.shape, (1, 3 * (len(cv.desmooth.defaultSmootherCandidates()) - 1) + 5))
        self.assertTrue(cv.desmooth.haveBundledSmootherClassifier())
        picked = cv.desmooth.classifySmoother(smoothed)
        self.assertIn(picked, cv.desmooth.defaultSmootherCandidates())
        self.assertTrue(picked.startswith('l0:'), picked)
        with self.assertRaises(cv.error):
            cv.desmooth.classifySmoother(smoothed, '/nonexistent/classifier.yml.gz')

    def test_metrics(self):
        smoothed, photo = self.smoothed_and_photo()
        mse = np.mean((smoothed.astype(np.float64) - photo) ** 2)
        self.assertAlmostEqual(cv.desmooth.psnr(smoothed, photo), 10 * math.log10(255.0 ** 2 / mse), places=6)
        self.assertTrue(math.isinf(cv.desmooth.psnr(photo, photo)))
        self.assertAlmostEqual(cv.desmooth.ssim(photo, photo), 1.0, places=6)
        self.assertEqual(cv.desmooth.gmsd(photo, photo), 0.0)
        self.assertEqual(cv.desmooth.detailRatio(photo, photo), 1.0)
        scores = cv.desmooth.Evaluator.create().evaluate(smoothed, smoothed, photo)
        self.assertAlmostEqual(scores.psnr, cv.desmooth.psnr(smoothed, photo), places=9)
        self.assertAlmostEqual(scores.ssim, cv.desmooth.ssim(smoothed, photo), places=9)
        self.assertTrue(math.isnan(scores.lpips))  # no LPIPS weights given
        evaluator = cv.desmooth.Evaluator.create()
        self.assertEqual(evaluator.brisqueOf(photo), cv.desmooth.brisque(photo))
        self.assertTrue(math.isnan(evaluator.brisqueOf(photo[:8, :8])))  # BRISQUE needs 16x16
        small = evaluator.evaluate(photo[:8, :8], photo[:8, :8], photo[:8, :8])
        self.assertTrue(math.isnan(small.ssim))  # SSIM's window needs 11x11
        self.assertTrue(math.isinf(small.psnr))
        self.assertIsInstance(cv.desmooth.Scores().psnr, float)

    def test_errors_are_cv_error_with_message(self):
        with self.assertRaises(cv.error) as raised:
            cv.desmooth.DeSmoother.create('/nonexistent/model.yml.gz')
        self.assertIn('/nonexistent/model.yml.gz', str(raised.exception))
        with self.assertRaises(cv.error):
            cv.desmooth.recover(np.zeros((0, 0, 3), np.uint8))
        with self.assertRaises(cv.error) as raised:
            cv.desmooth.recover(np.zeros((16, 16, 2), np.uint8))
        self.assertIn('channels', str(raised.exception))
        with self.assertRaises(cv.error):
            cv.desmooth.L0Smooth(np.zeros((16, 16, 3), np.uint8), lambda_=-1.0)
        with self.assertRaises(cv.error) as raised:
            cv.desmooth.Smoother.create('no-such-smoother')
        self.assertIn('no-such-smoother', str(raised.exception))


if __name__ == '__main__':
    NewOpenCVTests.bootstrap()
