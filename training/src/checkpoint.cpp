// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "checkpoint.hpp"

#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

namespace {

torch::Tensor textToTensor(const std::string& text)
{
    torch::Tensor bytes = torch::empty({int64_t(text.size())}, torch::kUInt8);
    std::memcpy(bytes.data_ptr<uint8_t>(), text.data(), text.size());
    return bytes;
}

std::string tensorToText(const torch::Tensor& bytes)
{
    return std::string(reinterpret_cast<const char*>(bytes.data_ptr<uint8_t>()), size_t(bytes.numel()));
}

} // namespace

void saveCheckpoint(const std::string& path, GanStep& trainer, int64_t iteration, const std::mt19937_64& rng,
                    int cropsPerStep, const WeightAverage* average)
{
    torch::serialize::OutputArchive archive, generator, discriminator, generatorOptimiser,
        discriminatorOptimiser;
    trainer.generator->save(generator);
    trainer.discriminator->save(discriminator);
    trainer.generatorOptimiser.save(generatorOptimiser);
    trainer.discriminatorOptimiser.save(discriminatorOptimiser);
    archive.write("generator", generator);
    archive.write("discriminator", discriminator);
    archive.write("generator_optimiser", generatorOptimiser);
    archive.write("discriminator_optimiser", discriminatorOptimiser);
    archive.write("iteration", torch::tensor(iteration, torch::kInt64));
    archive.write("crops_per_step", torch::tensor(int64_t(cropsPerStep), torch::kInt64));
    std::ostringstream state;
    state << rng;
    archive.write("sampler_rng", textToTensor(state.str()));
    if (average) {
        torch::serialize::OutputArchive tensors;
        for (size_t i = 0; i < average->tensors().size(); ++i)
            tensors.write(std::to_string(i), average->tensors()[i]);
        archive.write("generator_average", tensors);
    }
    const std::string temporary = path + ".tmp";
    archive.save_to(temporary);
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot move the checkpoint into place at '" + path + "'");
}

namespace {

void openArchive(const std::string& path, torch::serialize::InputArchive& archive)
{
    try {
        archive.load_from(path);
    } catch (const c10::Error& e) {
        throw std::runtime_error("cannot read the checkpoint '" + path + "': " + e.what_without_backtrace());
    }
}

} // namespace

namespace {

// G's weight average from a checkpoint already open; false where it has none.
bool readWeightAverage(torch::serialize::InputArchive& archive, const std::string& path,
                       WeightAverage& average)
{
    torch::serialize::InputArchive tensors;
    if (!archive.try_read("generator_average", tensors)) return false;
    std::vector<torch::Tensor> read(average.tensors().size());
    for (size_t i = 0; i < read.size(); ++i) {
        if (!tensors.try_read(std::to_string(i), read[i]) ||
            !read[i].sizes().equals(average.tensors()[i].sizes()))
            throw std::runtime_error("the checkpoint '" + path +
                                     "' holds a weight average of another network");
    }
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < read.size(); ++i)
        average.tensors()[i].copy_(read[i]);
    return true;
}

} // namespace

bool loadWeightAverage(const std::string& path, WeightAverage& average)
{
    torch::serialize::InputArchive archive;
    openArchive(path, archive);
    return readWeightAverage(archive, path, average);
}

bool loadWeights(const std::string& path, GanStep& trainer)
{
    torch::serialize::InputArchive archive, generator, discriminator;
    openArchive(path, archive);
    archive.read("generator", generator);
    archive.read("discriminator", discriminator);
    trainer.generator->load(generator);
    trainer.discriminator->load(discriminator);
    WeightAverage average(*trainer.generator, 0);
    if (!readWeightAverage(archive, path, average)) return false;
    average.swap(*trainer.generator); // G starts from what that run exported: its average
    return true;
}

Checkpoint loadCheckpoint(const std::string& path, GanStep& trainer, std::mt19937_64& rng)
{
    torch::serialize::InputArchive archive, generator, discriminator, generatorOptimiser,
        discriminatorOptimiser;
    openArchive(path, archive);
    archive.read("generator", generator);
    archive.read("discriminator", discriminator);
    archive.read("generator_optimiser", generatorOptimiser);
    archive.read("discriminator_optimiser", discriminatorOptimiser);
    trainer.generator->load(generator);
    trainer.discriminator->load(discriminator);
    trainer.generatorOptimiser.load(generatorOptimiser);
    trainer.discriminatorOptimiser.load(discriminatorOptimiser);
    torch::Tensor iteration, state;
    archive.read("iteration", iteration);
    archive.read("sampler_rng", state);
    std::istringstream(tensorToText(state)) >> rng;
    Checkpoint checkpoint;
    checkpoint.iteration = iteration.item<int64_t>();
    torch::Tensor crops;
    if (archive.try_read("crops_per_step", crops)) checkpoint.cropsPerStep = int(crops.item<int64_t>());
    return checkpoint;
}

} // namespace training
} // namespace desmooth
} // namespace cv
