// attn/nn/nn.h — everything in nn: Module, init, Linear, Embedding, LayerNorm, Dropout, containers.
#pragma once

#include "attn/nn/container.h"
#include "attn/nn/dropout.h"
#include "attn/nn/embedding.h"
#include "attn/nn/init.h"
#include "attn/nn/layer_norm.h"
#include "attn/nn/linear.h"
#include "attn/nn/module.h"
