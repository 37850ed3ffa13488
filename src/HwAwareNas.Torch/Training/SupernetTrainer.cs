using System.Diagnostics;
using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Evaluation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Training;

/// <summary>
/// Trains an elastic super-network with the sandwich rule: every step runs the largest sub-network on the labels, then
/// the smallest and <see cref="TrainingOptions.RandomSubnetsPerStep"/> random sub-networks against the largest one's
/// soft outputs (in-place distillation), accumulating gradients into one optimiser step. With
/// <see cref="TrainingMethod.Progressive"/> the smaller sub-networks are drawn only over the dimensions the epoch's
/// phase of progressive shrinking has released (none in the first phase, which trains the largest alone). A checkpoint
/// is written after every epoch, and a run resumes from the last one, in the phase it stopped in.
/// </summary>
public sealed class SupernetTrainer
{
    private readonly ElasticSupernet _network;
    private readonly DatasetSplits _data;
    private readonly TrainingOptions _options;
    private readonly TextWriter _log;
    private readonly bool _interactive;
    private readonly IReadOnlyList<PhaseSpan> _phases = [];
    private readonly string? _fineTunedFrom;

    /// <summary>
    /// Creates a trainer; progress goes to <paramref name="log"/>, one line per
    /// <see cref="TrainingOptions.LogEverySteps"/> steps unless <paramref name="interactive"/> (a terminal: one line
    /// rewritten every step).
    /// </summary>
    /// <param name="network">The super-network to train, with the weights training starts from.</param>
    /// <param name="data">Training, calibration and validation splits.</param>
    /// <param name="options">The recipe.</param>
    /// <param name="log">Where progress goes.</param>
    /// <param name="interactive">Whether <paramref name="log"/> is a terminal.</param>
    /// <param name="fineTunedFrom">
    /// What identifies the checkpoint <paramref name="network"/>'s weights were loaded from (name and SHA-256), recorded in
    /// the training record; null when training starts from initialisation.
    /// </param>
    public SupernetTrainer(
        ElasticSupernet network, DatasetSplits data, TrainingOptions options, TextWriter log, bool interactive = false, string? fineTunedFrom = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        if (options.Method == TrainingMethod.Progressive)
        {
            _phases = ProgressiveSchedule.Spans(network.Family, options.PhaseEpochs);
            if (_phases.Count == 0)
            {
                throw new HwNasException(
                    $"Invalid training setting: progressive shrinking has no epochs in the phases a {network.Family.Family} super-network has ({string.Join(", ", PhaseSampler.PhasesOf(network.Family))}).",
                    ExitCode.BadConfig);
            }

            options = options with { Epochs = _phases[^1].LastEpoch };
        }

        data.Train.RequireShape(network.Family.Input, "the training split");
        if (data.Train.Count < options.BatchSize)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"The training split holds {data.Train.Count} images, fewer than one batch of {options.BatchSize}."),
                ExitCode.BadConfig);
        }

        _network = network;
        _data = data;
        _options = options;
        _log = log;
        _interactive = interactive;
        _fineTunedFrom = fineTunedFrom;
    }

    /// <summary>Optimiser steps per epoch (a final short batch is dropped).</summary>
    public int StepsPerEpoch => _data.Train.Count / _options.BatchSize;

    /// <summary>
    /// Seeds torch's generator with <paramref name="seed"/> and builds the super-network of <paramref name="family"/>, so
    /// its initial weights are repeatable; with <paramref name="kernelTransforms"/>, with OFA's kernel-transform matrices.
    /// </summary>
    public static ElasticSupernet CreateNetwork(Core.Families.IElasticFamily family, int seed, bool kernelTransforms = false)
    {
        random.manual_seed(seed);
        return new ElasticSupernet(family, kernelTransforms);
    }

    /// <summary>
    /// Trains until <see cref="TrainingOptions.Epochs"/> epochs are done, writing <paramref name="checkpointPath"/> (and
    /// its resume file and sidecar) after every epoch; with <paramref name="resume"/> continues from that checkpoint.
    /// Cancellation stops between steps, keeping the last epoch's checkpoint.
    /// </summary>
    public TrainingRecord Train(string checkpointPath, bool resume, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        if (_options.Threads > 0)
        {
            set_num_threads(_options.Threads);
        }

        using var optimizer = CreateOptimizer();
        var record = resume && File.Exists(checkpointPath) ? Resume(checkpointPath, optimizer) : NewRecord();
        if (resume && record.CompletedEpochs == 0)
        {
            _log.WriteLine($"No checkpoint at {checkpointPath} to resume from: training from the start.");
        }

        if (record.CompletedEpochs >= _options.Epochs)
        {
            _log.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{checkpointPath} has {record.CompletedEpochs} epochs already: nothing to train (ask for more with --epochs)."));
        }

        var totalSteps = _options.Epochs * StepsPerEpoch;
        var step = record.CompletedSteps;
        var family = _network.Family;
        for (var epoch = record.CompletedEpochs + 1; epoch <= _options.Epochs; epoch++)
        {
            var sampler = SamplerFor(epoch);
            if (_phases.Count > 0 && (epoch == record.CompletedEpochs + 1 || ProgressiveSchedule.At(_phases, epoch).FirstEpoch == epoch))
            {
                _log.WriteLine(DescribePhase(epoch, sampler));
            }

            var clock = Stopwatch.StartNew();
            _network.train();
            double lossSum = 0, distillSum = 0;
            var lr = 0.0;
            var epochStep = 0;
            foreach (var batch in TensorBatches.Of(
                _data.Train, _data.Normalization, _options.BatchSize, shuffleSeed: Mix(_options.Seed, epoch, 1),
                dropLast: true, flipSeed: _options.HorizontalFlip ? Mix(_options.Seed, epoch, 2) : null))
            {
                using (batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    lr = LearningRateSchedule.At(_options.LearningRate, (int)step, totalSteps, _options.WarmupSteps);
                    foreach (var group in optimizer.ParamGroups)
                    {
                        group.LearningRate = lr;
                    }

                    var (loss, distill) = SandwichStep(optimizer, batch, step, sampler);
                    lossSum += loss;
                    distillSum += distill;
                    step++;
                    epochStep++;
                    Report(epoch, epochStep, loss, distill, lr, clock.Elapsed, totalSteps - step);
                }
            }

            var largest = family.Largest();
            var smallest = family.Smallest();
            // Intermediate epochs validate on a leading slice to save time; the last one on the whole validation split.
            var validationImages = epoch == _options.Epochs ? _data.Validation.Count : _options.EpochValidationImages;
            var accuracy = new SubnetAccuracy(_network, _data with { Validation = _data.Validation.Take(validationImages) });
            var largestAccuracy = accuracy.Evaluate(largest);
            var smallestAccuracy = accuracy.Evaluate(smallest);
            clock.Stop();
            var metrics = new EpochMetrics(
                epoch, lossSum / Math.Max(1, epochStep), distillSum / Math.Max(1, epochStep), largestAccuracy, smallestAccuracy, lr, clock.Elapsed.TotalSeconds,
                PhaseOf(epoch));
            record = record with
            {
                CompletedEpochs = epoch,
                Phases = _phases,
                Phase = PhaseOf(epoch),
                CompletedSteps = step,
                Recipe = _options,
                Epochs = [.. record.Epochs, metrics],
                TrainingSeconds = record.TrainingSeconds + clock.Elapsed.TotalSeconds,
            };
            record = SupernetCheckpoint.Write(checkpointPath, _network, optimizer, record);
            if (_interactive)
            {
                _log.WriteLine();
            }

            _log.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"epoch {epoch}/{_options.Epochs} done in {clock.Elapsed.TotalSeconds:0}s: loss {metrics.Loss:0.0000}, distillation {metrics.DistillationLoss:0.0000}, val top-1 largest {largestAccuracy:P2}, smallest {smallestAccuracy:P2}; checkpoint {checkpointPath}"));
        }

        return record;
    }

    // Seeds derived by fixed arithmetic (HashCode is randomised per process) so a resumed run draws the same numbers.
    private static int Mix(int seed, long a, int b) => unchecked((int)((seed * 1_000_003L) + (a * 7919L) + (b * 104_729L)));

    private static Tensor SoftCrossEntropy(Tensor logits, Tensor target) =>
        -(target * nn.functional.log_softmax(logits, 1)).sum(1).mean();

    private static Tensor KullbackLeibler(Tensor logits, Tensor target) =>
        (target * (target.clamp_min(1e-8).log() - nn.functional.log_softmax(logits, 1))).sum(1).mean();

    private PhaseSampler SamplerFor(int epoch) =>
        new(_network.Family, PhaseOf(epoch) ?? ShrinkingPhase.Expand);

    private ShrinkingPhase? PhaseOf(int epoch) => _phases.Count > 0 ? ProgressiveSchedule.At(_phases, epoch).Phase : null;

    private string DescribePhase(int epoch, PhaseSampler sampler)
    {
        var span = ProgressiveSchedule.At(_phases, epoch);
        var genes = _network.Family.Genes;
        var varying = genes.Where((_, i) => sampler.IsReleased(i)).Select(g => g.Group).Distinct().ToList();
        var fixedGroups = genes.Where((_, i) => !sampler.IsReleased(i)).Select(g => g.Group).Distinct().ToList();
        var what = varying.Count == 0
            ? "the largest sub-network alone, on the labels"
            : $"{string.Join(", ", varying)} vary{(fixedGroups.Count > 0 ? $", {string.Join(", ", fixedGroups)} at their largest" : string.Empty)}; distilled from the largest";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"phase {_phases.ToList().IndexOf(span) + 1}/{_phases.Count} {Name(span.Phase)} (epochs {span.FirstEpoch}-{span.LastEpoch} of {_options.Epochs}): {what}.");
    }

    private static string Name(ShrinkingPhase phase) => phase.ToString().ToLowerInvariant();

    private (double Loss, double Distillation) SandwichStep(OptimizerHelper optimizer, TensorBatch batch, long step, PhaseSampler sampler)
    {
        optimizer.zero_grad();
        var family = _network.Family;
        double loss;
        Tensor soft;
        using (var scope = NewDisposeScope())
        {
            _network.SetActive(family.Largest());
            var logits = _network.forward(batch.Images);
            var labelLoss = nn.functional.cross_entropy(logits, batch.Labels, label_smoothing: _options.LabelSmoothing);
            labelLoss.backward();
            loss = labelLoss.item<float>();
            soft = nn.functional.softmax(logits.detach(), 1).MoveToOuterDisposeScope();
        }

        using (soft)
        {
            // The first phase of progressive shrinking trains the largest sub-network alone; later ones (and the sandwich
            // rule) add the smallest and random sub-networks of the dimensions released so far.
            var random = new Random(Mix(_options.Seed, step, 3));
            var students = new List<Genome>();
            if (sampler.Phase != ShrinkingPhase.Largest)
            {
                students.Add(sampler.Smallest());
                for (var i = 0; i < _options.RandomSubnetsPerStep; i++)
                {
                    students.Add(sampler.Sample(random));
                }
            }

            double distillation = 0;
            foreach (var genome in students)
            {
                using var scope = NewDisposeScope();
                _network.SetActive(genome);
                var logits = _network.forward(batch.Images);
                var studentLoss = _options.Distillation == DistillationLoss.KullbackLeibler
                    ? KullbackLeibler(logits, soft)
                    : SoftCrossEntropy(logits, soft);
                studentLoss.backward();
                distillation += studentLoss.item<float>();
            }

            optimizer.step();
            return (loss, students.Count == 0 ? 0 : distillation / students.Count);
        }
    }

    private OptimizerHelper CreateOptimizer() => _options.Optimizer switch
    {
        OptimizerKind.AdamW => optim.AdamW(_network.parameters(), _options.LearningRate, weight_decay: _options.WeightDecay),
        _ => optim.SGD(_network.parameters(), _options.LearningRate, _options.Momentum, weight_decay: _options.WeightDecay, nesterov: _options.Momentum > 0),
    };

    private TrainingRecord NewRecord()
    {
        var family = _network.Family;
        return new TrainingRecord
        {
            Family = family.Family,
            Settings = family.SettingsText,
            Input = [family.Input.Channels, family.Input.Height, family.Input.Width],
            Classes = family.Classes,
            ClassNames = _data.Train.ClassNames,
            Mean = _data.Normalization.Mean,
            Std = _data.Normalization.Std,
            DatasetKey = _data.Key,
            Recipe = _options,
            KernelTransforms = _network.KernelTransforms,
            FineTunedFrom = _fineTunedFrom,
        };
    }

    private TrainingRecord Resume(string checkpointPath, OptimizerHelper optimizer)
    {
        var stored = TrainingRecord.Read(checkpointPath);
        var family = _network.Family;
        if (!string.Equals(stored.Family, family.Family, StringComparison.OrdinalIgnoreCase) || stored.Settings != family.SettingsText)
        {
            throw new HwNasException(
                $"Cannot resume {checkpointPath}: it holds a {stored.Family} super-network with settings '{stored.Settings}', the configuration asks for {family.Family} with '{family.SettingsText}'.",
                ExitCode.BadConfig);
        }

        if (stored.Recipe.Seed != _options.Seed || stored.Recipe.Optimizer != _options.Optimizer || stored.Recipe.BatchSize != _options.BatchSize
            || stored.Recipe.Method != _options.Method)
        {
            throw new HwNasException(
                $"Cannot resume {checkpointPath}: it was trained with {stored.Recipe}; method, seed, optimiser and batch size must stay the same.",
                ExitCode.BadConfig);
        }

        // A longer schedule may extend later phases, but every finished epoch must stay in the phase it trained in.
        if (stored.Epochs.FirstOrDefault(e => e.Phase != PhaseOf(e.Epoch)) is { } moved)
        {
            throw new HwNasException(
                $"Cannot resume {checkpointPath}: epoch {moved.Epoch} trained in phase {moved.Phase?.ToString().ToLowerInvariant() ?? "none"}, the schedule asked for puts it in {PhaseOf(moved.Epoch)?.ToString().ToLowerInvariant() ?? "none"} ({_options.PhaseEpochs}); keep the finished phases' epochs.",
                ExitCode.BadConfig);
        }

        var record = SupernetCheckpoint.LoadForResume(checkpointPath, _network, optimizer);
        _log.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Resuming {checkpointPath} after epoch {record.CompletedEpochs} (step {record.CompletedSteps}){(PhaseOf(record.CompletedEpochs + 1) is { } next && record.CompletedEpochs < _options.Epochs ? $", in phase {Name(next)}" : string.Empty)}."));
        return record;
    }

    private void Report(int epoch, int epochStep, double loss, double distillation, double lr, TimeSpan elapsed, long stepsLeft)
    {
        if (!_interactive && epochStep % _options.LogEverySteps != 0 && epochStep != StepsPerEpoch)
        {
            return;
        }

        var perStep = elapsed.TotalSeconds / epochStep;
        var eta = TimeSpan.FromSeconds(perStep * stepsLeft);
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{(PhaseOf(epoch) is { } phase ? $"phase {Name(phase)} " : string.Empty)}epoch {epoch}/{_options.Epochs} step {epochStep}/{StepsPerEpoch} loss {loss:0.0000} distillation {distillation:0.0000} lr {lr:0.00000} {perStep:0.000} s/step ETA {eta:hh\\:mm\\:ss}");
        if (_interactive)
        {
            _log.Write("\r" + line);
        }
        else
        {
            _log.WriteLine(line);
        }
    }
}
