# expect: modified_input


def relu_backward(dout, x):
    dout[x <= 0] = 0.0
    return dout
