namespace HwAwareNas.Torch.Training;

/// <summary>Linear warm-up then cosine decay to zero, per step (so a resumed run continues the same curve).</summary>
internal static class LearningRateSchedule
{
    /// <summary>The learning rate of step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public static double At(double peak, int step, int totalSteps, int warmupSteps)
    {
        if (step < warmupSteps)
        {
            return peak * (step + 1) / warmupSteps;
        }

        var decaySteps = Math.Max(1, totalSteps - warmupSteps);
        var progress = Math.Min(1.0, (double)(step - warmupSteps) / decaySteps);
        return 0.5 * peak * (1 + Math.Cos(Math.PI * progress));
    }
}
