"""``prefetch(arr, i)`` / ``prefetch_write(arr, i)``: ask the CPU to start loading ``arr[i]`` (a
1-D entry or a 2-D row) ahead of a read / a write.

A paging kernel knows its whole trace, so it can touch the state of the page requested
``AHEAD`` requests later while it serves the current one. With a million pages that state
does not fit in the CPU cache and the first access per request was the kernel's main stall
(perf: a third of LNonMarker's time on one load); the hint overlaps those misses (on uniform
random rows, 2.3x fewer seconds at distance 32 in a micro-benchmark). A hint never changes
results. It is LLVM's ``llvm.prefetch`` intrinsic (high locality, data cache).
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

AHEAD = 32                          # requests of look-ahead


def _hint(rw: int):
    """An intrinsic hinting that arr[i] (arr[i, 0] for a 2-D array) will be read (rw = 0) or
    written (rw = 1) soon; ``i`` must be in range."""

    @intrinsic
    def hint(typingctx, arr, i):
        if not isinstance(arr, types.Array) or not isinstance(i, types.Integer):
            return None
        sig = types.void(arr, i)

        def codegen(context, builder, signature, args):
            aryty = signature.args[0]
            ary = context.make_array(aryty)(context, builder, args[0])
            index = context.cast(builder, args[1], signature.args[1], types.intp)
            zero = context.get_constant(types.intp, 0)
            ptr = cgutils.get_item_pointer2(
                context, builder, data=ary.data, shape=cgutils.unpack_tuple(builder, ary.shape),
                strides=cgutils.unpack_tuple(builder, ary.strides), layout=aryty.layout,
                inds=[index] + [zero] * (aryty.ndim - 1), wraparound=False)
            i8p = ir.IntType(8).as_pointer()
            i32 = ir.IntType(32)
            fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
            # llvmlite mangles the overloaded name for the pointer type of the LLVM in use
            fn = builder.module.declare_intrinsic("llvm.prefetch", [i8p], fnty)
            builder.call(fn, [builder.bitcast(ptr, i8p), i32(rw), i32(3), i32(1)])
            return context.get_dummy_value()

        return sig, codegen

    return hint


prefetch = _hint(0)
prefetch.__doc__ = "Hint: arr[i] (arr[i, 0] for a 2-D array) will be read soon."
prefetch_write = _hint(1)
prefetch_write.__doc__ = "Hint: arr[i] (arr[i, 0] for a 2-D array) will be written soon."
