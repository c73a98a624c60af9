// attn/optim/optim.h — everything in optim: SGD, Adam, AdamW, schedules, clip_grad_norm_.
#pragma once

#include "attn/optim/adam.h"
#include "attn/optim/clip_grad.h"
#include "attn/optim/optimizer.h"
#include "attn/optim/schedule.h"
#include "attn/optim/sgd.h"
