"""Forbidden import: tensorflow (not installed here, and still reported as forbidden, not missing)."""
import numpy as np
import tensorflow as tf


def corr2d(x, k):
    return tf.nn.conv2d(x[None, :, :, None], k[:, :, None, None], 1, "VALID").numpy()[0, :, :, 0]
