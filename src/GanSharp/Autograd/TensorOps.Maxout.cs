using GanSharp.Autograd;

namespace GanSharp.Tensors;

// Max over groups of consecutive features (maxout, as pylearn2 lays the pieces out).
public partial class Tensor
{
    /// <summary>[..., units * pieces] -> [..., units]: the max of each run of <paramref name="pieces"/> features.</summary>
    public Tensor GroupMax(int pieces)
    {
        int features = Shape[-1];
        if (pieces <= 0 || features % pieces != 0)
            throw new ArgumentException($"group_max: last dimension {features} of shape {Shape} is not a multiple of {pieces} pieces.");
        var x = Contiguous();
        var outShape = Shape.With(Rank - 1, features / pieces);
        var r = Allocate(outShape, zero: false);
        var argmax = Allocate(outShape, zero: false);
        var xs = x.Span; var ys = r.Span; var idx = argmax.Span;
        for (int g = 0; g < ys.Length; g++)
        {
            var run = xs.Slice(g * pieces, pieces);
            int best = 0;
            for (int p = 1; p < pieces; p++) if (run[p] > run[best]) best = p;
            ys[g] = run[best];
            idx[g] = best;
        }
        r._aux = argmax;
        r._i0 = pieces;
        return Record(r, OpCode.GroupMax, x);
    }

    /// <summary>Places each group value at its argmax piece, zeros elsewhere (GroupMax's gradient).</summary>
    internal Tensor GroupScatter(Tensor argmax, int pieces)
    {
        var g = Contiguous();
        var r = Allocate(Shape.With(Rank - 1, Shape[-1] * pieces), zero: true);
        var gs = g.Span; var idx = argmax.Span; var ys = r.Span;
        for (int i = 0; i < gs.Length; i++) ys[i * pieces + (int)idx[i]] = gs[i];
        r._aux = argmax;
        r._i0 = pieces;
        return Record(r, OpCode.GroupScatter, g);
    }

    /// <summary>Reads each group's argmax piece (GroupScatter's gradient).</summary>
    internal Tensor GroupGather(Tensor argmax, int pieces)
    {
        var x = Contiguous();
        var r = Allocate(Shape.With(Rank - 1, Shape[-1] / pieces), zero: false);
        var xs = x.Span; var idx = argmax.Span; var ys = r.Span;
        for (int i = 0; i < ys.Length; i++) ys[i] = xs[i * pieces + (int)idx[i]];
        r._aux = argmax;
        r._i0 = pieces;
        return Record(r, OpCode.GroupGather, x);
    }
}
