// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "full_attention_layer.hpp"
#include "interleave_layer.hpp"
#include "sft_layer.hpp"

namespace cv {
namespace desmooth {

void registerLayers()
{
    // OpenCV throws when a layer type is registered twice: register once per process, from whichever thread
    // is first.
    static std::once_flag once;
    std::call_once(once, [] {
        dnn::LayerFactory::registerLayer("DesmoothSFT", SFTLayer::create);
        dnn::LayerFactory::registerLayer("DesmoothFullAttention", FullAttentionLayer::create);
        dnn::LayerFactory::registerLayer("DesmoothInterleave", InterleaveLayer::create);
    });
}

} // namespace desmooth
} // namespace cv
