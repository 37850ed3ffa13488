using System.Diagnostics;
using System.Globalization;
using FashionMnistApp;
using Microsoft.ML.OnnxRuntime;

// Usage: dotnet run [-- [DEVICE] [--images N]]
//   DEVICE     the profile the app was built for with -p:HwNasDevice=DEVICE (default: the config's own device)
//   --images N classify only the first N test images (the search scored the first dataset.validation_images)
string? device = null;
int? imageLimit = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--images" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var limit) && limit > 0)
    {
        imageLimit = limit;
        i++;
    }
    else if (!args[i].StartsWith('-') && device is null)
    {
        device = args[i];
    }
    else
    {
        Console.Error.WriteLine($"Unexpected argument '{args[i]}'. Usage: FashionMnistApp [DEVICE] [--images N]");
        return 2;
    }
}

var modelFolder = device is null ? Path.Combine(AppContext.BaseDirectory, "hwnas") : Path.Combine(AppContext.BaseDirectory, "hwnas", device);
var modelPath = Path.Combine(modelFolder, "model.onnx");
if (!File.Exists(modelPath))
{
    Console.Error.WriteLine($"No model at {modelPath}: build the app first (dotnet build{(device is null ? string.Empty : " -p:HwNasDevice=" + device)}).");
    return 3;
}

var dataFolder = Environment.GetEnvironmentVariable("HWNAS_DATA") ?? "/usr/share/datasets/fashion-mnist";
var imagesPath = Path.Combine(dataFolder, "t10k-images-idx3-ubyte.gz");
if (!File.Exists(imagesPath))
{
    Console.Error.WriteLine($"No Fashion-MNIST test images at {imagesPath}: apt-get install dataset-fashion-mnist, or set HWNAS_DATA.");
    return 3;
}

var (pixels, count, rows, columns) = IdxImages.ReadImages(imagesPath);
var labels = IdxImages.ReadLabels(Path.Combine(dataFolder, "t10k-labels-idx1-ubyte.gz"));
count = Math.Min(count, imageLimit ?? count);

// The same ONNX Runtime settings the search measured latency with, and the model's own input preparation.
var settings = InferenceSettings.Read(Path.Combine(modelFolder, "inference_settings.json"));
var expected = SearchResult.Read(Path.Combine(modelFolder, "results.json"));
using var options = settings.ToSessionOptions();
using var session = new InferenceSession(modelPath, options);
var images = ModelPreprocessing.Read(session, modelPath).Apply(pixels);
using var runOptions = new RunOptions();
var inputName = session.InputNames[0];
var imageSize = rows * columns;

float[] Run(int first, int batch)
{
    var memory = new Memory<float>(images, first * imageSize, batch * imageSize);
    using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, [batch, 1, rows, columns]);
    using var outputs = session.Run(runOptions, [inputName], [input], session.OutputNames);
    return outputs[0].GetTensorDataAsSpan<float>().ToArray();
}

// Accuracy in large batches (the model has a dynamic batch dimension).
var correct = 0;
const int EvaluationBatch = 500;
for (var first = 0; first < count; first += EvaluationBatch)
{
    var batch = Math.Min(EvaluationBatch, count - first);
    var logits = Run(first, batch);
    var classes = logits.Length / batch;
    for (var i = 0; i < batch; i++)
    {
        var scores = logits.AsSpan(i * classes, classes);
        if (scores.IndexOf(MaxOf(scores)) == labels[first + i])
        {
            correct++;
        }
    }
}

// Latency the way the search measured it: the device's batch size, warm-up, then statistics of timed runs.
const int Warmup = 10;
const int TimedRuns = 200;
var span = Math.Max(1, count - settings.Batch);
for (var i = 0; i < Warmup; i++)
{
    Run(i * settings.Batch % span, settings.Batch);
}

var timings = new double[TimedRuns];
for (var i = 0; i < TimedRuns; i++)
{
    var start = Stopwatch.GetTimestamp();
    Run(i * settings.Batch % span, settings.Batch);
    timings[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

var measured = LatencyStatistics.FromSamples(timings);
var accuracy = (double)correct / count;
Console.WriteLine($"model      {modelPath}");
Console.WriteLine($"genome     {expected.Genome}");
Console.WriteLine($"settings   {settings.Provider}, intra-op threads {settings.IntraOpThreads}, inter-op threads {settings.InterOpThreads}, graph optimisation {settings.GraphOptimization}, batch {settings.Batch}");
Console.WriteLine();
Console.WriteLine($"{"",-26}{"this run",12}{"search (results.json)",24}");
Row("accuracy", accuracy.ToString("P2", CultureInfo.InvariantCulture), Format(expected.Accuracy, "P2"));
Row("latency ms, trimmed mean", Ms(measured.TrimmedMeanMs), Format(expected.Latency?.TrimmedMeanMs, "F3"));
Row("latency ms, median", Ms(measured.MedianMs), Format(expected.Latency?.MedianMs, "F3"));
Row("latency ms, p90", Ms(measured.P90Ms), Format(expected.Latency?.P90Ms, "F3"));
Row("latency ms, stdev", Ms(measured.StdevMs), Format(expected.Latency?.StdevMs, "F3"));
Row("timed runs", measured.Runs.ToString(CultureInfo.InvariantCulture), expected.Latency?.Runs.ToString(CultureInfo.InvariantCulture) ?? "n/a");
Console.WriteLine();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"This run: accuracy on the first {count} test images, latency per batch of {settings.Batch}. The search scored the first dataset.validation_images test images and measured on device '{expected.Device}'."));
return 0;

static void Row(string name, string mine, string search) => Console.WriteLine($"{name,-26}{mine,12}{search,24}");

static string Ms(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

static float MaxOf(ReadOnlySpan<float> values)
{
    var max = float.NegativeInfinity;
    foreach (var value in values)
    {
        max = Math.Max(max, value);
    }

    return max;
}

static string Format(double? value, string format) => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
