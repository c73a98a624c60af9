// attn/ops.h — every differentiable op, for code above the ops layer (nn, models, tests).
#pragma once

#include "attn/autograd/grad_mode.h"
#include "attn/ops/activation.h"
#include "attn/ops/binary.h"
#include "attn/ops/dropout.h"
#include "attn/ops/embedding.h"
#include "attn/ops/index.h"
#include "attn/ops/join.h"
#include "attn/ops/linear.h"
#include "attn/ops/loss.h"
#include "attn/ops/matmul.h"
#include "attn/ops/norm.h"
#include "attn/ops/reduce.h"
#include "attn/ops/shape.h"
#include "attn/ops/softmax.h"
#include "attn/ops/unary.h"
#include "attn/tensor/creation.h"
