# expect: passed
# A one-hot matrix and np.logaddexp.reduce for the log-sum-exp; loss returned as a 0-d array.
import numpy as np


def softmax_cross_entropy(logits, labels):
    n, k = logits.shape
    onehot = np.eye(k)[labels]
    lse = np.logaddexp.reduce(logits, axis=1)
    loss = np.mean(lse - (onehot * logits).sum(axis=1))
    p = np.exp(logits - lse[:, None])
    return np.asarray(loss), (p - onehot) / n
