using System.Diagnostics;
using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace HwAwareNas.Measurement;

/// <summary>Loads models into ONNX Runtime sessions configured from a device profile.</summary>
internal sealed class OrtInferenceBackend : IInferenceBackend
{
    private readonly DeviceOptions _device;
    private readonly InputShape _input;

    /// <summary>Creates a backend; fails at once when the runtime lacks the profile's execution provider.</summary>
    public OrtInferenceBackend(DeviceOptions device, InputShape input)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(input);
        RequireProvider(device.Provider);
        _device = device;
        _input = input;
    }

    /// <summary>Throws when this ONNX Runtime build cannot run <paramref name="provider"/>.</summary>
    /// <exception cref="HwNasException">The provider is missing; the message lists the ones available.</exception>
    public static void RequireProvider(ExecutionProvider provider)
    {
        if (!ExecutionProviders.IsAvailable(provider))
        {
            throw new HwNasException(
                $"The device profile asks for the '{provider.ToString().ToLowerInvariant()}' execution provider ({ExecutionProviders.OrtName(provider)}), " +
                $"but this ONNX Runtime build ({ExecutionProviders.RuntimeVersion}) only has: {string.Join(", ", ExecutionProviders.Available())}. " +
                "Install the ONNX Runtime package built with that provider, or set device.provider to one of those.",
                ExitCode.RuntimeRejected);
        }
    }

    /// <inheritdoc />
    public IInferenceRunner Load(ProfileRequest request, bool collectOperatorProfile)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new SessionOptions
        {
            IntraOpNumThreads = _device.IntraOpThreads,
            InterOpNumThreads = _device.InterOpThreads,
            GraphOptimizationLevel = _device.GraphOptimization switch
            {
                GraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            ExecutionMode = _device.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
        };
        try
        {
            if (collectOperatorProfile)
            {
                options.EnableProfiling = true;
                options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), $"hwnas-ort-profile-{Guid.NewGuid():N}");
            }

            AppendProvider(options, _device.Provider);
            var clock = Stopwatch.StartNew();
            var session = request.Model.Bytes is { } bytes
                ? new InferenceSession(bytes, options)
                : new InferenceSession(request.Model.FilePath!, options);
            var creationMs = clock.Elapsed.TotalMilliseconds;
            try
            {
                return new OrtInferenceRunner(session, options, InputTensor(session, request), creationMs);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            throw new HwNasException($"ONNX Runtime rejected the model of '{request.GenomeKey}' ({request.Model}): {e.Message}", ExitCode.RuntimeRejected, e);
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private static void AppendProvider(SessionOptions options, ExecutionProvider provider)
    {
        switch (provider)
        {
            case ExecutionProvider.Cpu:
                break;
            case ExecutionProvider.Cuda:
                options.AppendExecutionProvider_CUDA(0);
                break;
            case ExecutionProvider.TensorRT:
                options.AppendExecutionProvider_Tensorrt(0);
                break;
            case ExecutionProvider.OpenVino:
                options.AppendExecutionProvider_OpenVINO(string.Empty);
                break;
            case ExecutionProvider.CoreML:
                options.AppendExecutionProvider_CoreML();
                break;
            case ExecutionProvider.DirectML:
                options.AppendExecutionProvider_DML(0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown execution provider.");
        }
    }

    /// <summary>A seeded random float input of shape [batch, C, H, W] for the model's single input.</summary>
    private (string Name, OrtValue Value) InputTensor(InferenceSession session, ProfileRequest request)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"The model of '{request.GenomeKey}' has {session.InputMetadata.Count} inputs; latency profiling needs exactly one image input."),
                ExitCode.RuntimeRejected);
        }

        var (name, metadata) = session.InputMetadata.First();
        long[] expected = [_device.Batch, _input.Channels, _input.Height, _input.Width];
        var dims = metadata.Dimensions;
        var matches = dims.Length == 4 && metadata.ElementType == typeof(float)
            && (dims[0] <= 0 || dims[0] == _device.Batch)
            && dims.Skip(1).Select(d => (long)d).SequenceEqual(expected.Skip(1));
        if (!matches)
        {
            throw new HwNasException(
                $"The model of '{request.GenomeKey}' takes input '{name}' of shape [{string.Join(", ", dims)}] ({metadata.ElementType.Name}); " +
                $"the device profile measures float input [{string.Join(", ", expected)}].",
                ExitCode.RuntimeRejected);
        }

        var random = new Random(1);
        var data = new float[expected.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return (name, OrtValue.CreateTensorValueFromMemory(data, expected));
    }

    /// <summary>One session with its input bound; each run is timed with a <see cref="Stopwatch"/>.</summary>
    private sealed class OrtInferenceRunner : IInferenceRunner
    {
        private readonly InferenceSession _session;
        private readonly SessionOptions _options;
        private readonly RunOptions _runOptions = new();
        private readonly string[] _inputNames;
        private readonly OrtValue[] _inputs;
        private readonly string[] _outputNames;
        private bool _profiling;

        public OrtInferenceRunner(InferenceSession session, SessionOptions options, (string Name, OrtValue Value) input, double sessionCreationMs)
        {
            _session = session;
            _options = options;
            _inputNames = [input.Name];
            _inputs = [input.Value];
            _outputNames = [.. session.OutputMetadata.Keys];
            _profiling = options.EnableProfiling;
            SessionCreationMs = sessionCreationMs;
        }

        public double SessionCreationMs { get; }

        public double Run()
        {
            var clock = Stopwatch.StartNew();
            using var outputs = _session.Run(_runOptions, _inputNames, _inputs, _outputNames);
            return clock.Elapsed.TotalMilliseconds;
        }

        public IReadOnlyList<OperatorTiming> EndOperatorProfile(int lastRuns)
        {
            if (!_profiling)
            {
                return [];
            }

            _profiling = false;
            var file = _session.EndProfiling();
            try
            {
                return OrtProfileParser.Parse(File.ReadAllText(file), lastRuns);
            }
            finally
            {
                File.Delete(file);
            }
        }

        public void Dispose()
        {
            if (_profiling)
            {
                // Profiling still on means the file was never read; end it so it can be removed.
                var file = _session.EndProfiling();
                if (!string.IsNullOrEmpty(file))
                {
                    File.Delete(file);
                }
            }

            foreach (var input in _inputs)
            {
                input.Dispose();
            }

            _runOptions.Dispose();
            _session.Dispose();
            _options.Dispose();
        }
    }
}
