# expect: failed | gradient has the wrong sign
import numpy as np


def softmax_cross_entropy(logits, labels):
    n, k = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    onehot = np.eye(k)[labels]
    return -np.mean(log_p[np.arange(n), labels]), (onehot - np.exp(log_p)) / n
