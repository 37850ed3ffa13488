using System.Diagnostics;
using System.Globalization;
using FashionMnistApp;
using Microsoft.ML.OnnxRuntime;

// Usage: dotnet run [-- DEVICE]   DEVICE: the profile the app was built for with -p:HwNasDevice=DEVICE (default: the config's own).
var device = args.Length > 0 ? args[0] : null;
var modelFolder = device is null ? Path.Combine(AppContext.BaseDirectory, "hwnas") : Path.Combine(AppContext.BaseDirectory, "hwnas", device);
var modelPath = Path.Combine(modelFolder, "model.onnx");
if (!File.Exists(modelPath))
{
    Console.Error.WriteLine($"No model at {modelPath}: build the app first (dotnet build{(device is null ? string.Empty : " -p:HwNasDevice=" + device)}).");
    return 1;
}

var dataFolder = Environment.GetEnvironmentVariable("HWNAS_DATA") ?? "/usr/share/datasets/fashion-mnist";
var (pixels, count, rows, columns) = IdxImages.ReadImages(Path.Combine(dataFolder, "t10k-images-idx3-ubyte.gz"));
var labels = IdxImages.ReadLabels(Path.Combine(dataFolder, "t10k-labels-idx1-ubyte.gz"));

// The normalisation the super-network was trained with (dataset.mean/std in hwnas.yaml).
const float Mean = 0.286f;
const float Std = 0.353f;
var imageSize = rows * columns;
var images = new float[pixels.Length];
for (var i = 0; i < pixels.Length; i++)
{
    images[i] = ((pixels[i] / 255f) - Mean) / Std;
}

var settings = InferenceSettings.Read(Path.Combine(modelFolder, "inference_settings.json"));
var expected = SearchResult.Read(Path.Combine(modelFolder, "results.json"));
using var options = settings.ToSessionOptions();
using var session = new InferenceSession(modelPath, options);
using var runOptions = new RunOptions();
var inputName = session.InputNames[0];

float[] Run(int first, int batch)
{
    var memory = new Memory<float>(images, first * imageSize, batch * imageSize);
    using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, [batch, 1, rows, columns]);
    using var outputs = session.Run(runOptions, [inputName], [input], session.OutputNames);
    return outputs[0].GetTensorDataAsSpan<float>().ToArray();
}

// Accuracy on the whole test set, in large batches (the model has a dynamic batch dimension).
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

// Latency the way the search measured it: its batch size, warm-up, then the mean of the middle 60% of timed runs.
const int Warmup = 10;
const int TimedRuns = 200;
for (var i = 0; i < Warmup; i++)
{
    Run(i % (count - settings.Batch), settings.Batch);
}

var timings = new double[TimedRuns];
for (var i = 0; i < TimedRuns; i++)
{
    var start = Stopwatch.GetTimestamp();
    Run(i * settings.Batch % (count - settings.Batch), settings.Batch);
    timings[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

Array.Sort(timings);
var trim = TimedRuns / 5;
var trimmedMean = timings[trim..^trim].Average();

var accuracy = (double)correct / count;
Console.WriteLine($"model      {modelPath}");
Console.WriteLine($"genome     {expected.Genome}");
Console.WriteLine($"settings   {settings.Provider}, intra-op threads {settings.IntraOpThreads}, inter-op threads {settings.InterOpThreads}, graph optimisation {settings.GraphOptimization}, batch {settings.Batch}");
Console.WriteLine();
Console.WriteLine($"{"",-22}{"this run",12}{"search (results.json)",24}");
Console.WriteLine($"{"accuracy",-22}{accuracy.ToString("P2", CultureInfo.InvariantCulture),12}{Format(expected.Accuracy, "P2"),24}");
Console.WriteLine($"{"latency, ms/batch",-22}{trimmedMean.ToString("F3", CultureInfo.InvariantCulture),12}{Format(expected.LatencyMs, "F3"),24}");
Console.WriteLine();
Console.WriteLine($"accuracy on all {count.ToString(CultureInfo.InvariantCulture)} test images; the search used dataset.validation_images of them on device '{expected.Device}'.");
return 0;

static float MaxOf(ReadOnlySpan<float> values)
{
    var max = float.NegativeInfinity;
    foreach (var value in values)
    {
        max = Math.Max(max, value);
    }

    return max;
}

static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";
