namespace AIBrix.Autoscaling.Windows;

/// <summary>One time bucket: the sum of the totals recorded in it, how many, and its index past the window's origin.</summary>
internal struct WindowBucket
{
    public double Total;
    public int Index;
    public int Samples;
}
