"""``prefetch(arr, i)``: ask the CPU to start loading ``arr[i]`` (a 1-D entry or a 2-D row).

A paging kernel knows its whole trace, so it can touch the state of the page requested
``AHEAD`` requests later while it serves the current one. With a million pages that state
does not fit in the CPU cache and the first access per request was the kernel's main stall
(perf: a third of LNonMarker's time on one load); the hint overlaps those misses (on uniform
random rows, 2.3x fewer seconds at distance 32 in a micro-benchmark). A hint never changes
results. It is LLVM's ``llvm.prefetch`` intrinsic (read, high locality, data cache).
"""

from __future__ import annotations

import llvmlite.binding as llvm
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

AHEAD = 32                          # requests of look-ahead
_NAME = "llvm.prefetch.p0" if llvm.llvm_version_info[0] >= 15 else "llvm.prefetch.p0i8"


@intrinsic
def prefetch(typingctx, arr, i):
    """Hint: arr[i] (arr[i, 0] for a 2-D array) will be read soon. ``i`` must be in range."""
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
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]), _NAME)
        builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen
