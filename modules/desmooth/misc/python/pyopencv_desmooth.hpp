// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// What the binding generator cannot write for cv2.desmooth: a smoother that calls a Python function
// (Smoother::createFromFunction takes a std::function, which the generator does not wrap). OpenCV's Python
// build includes this file into cv2.cpp after the generated types.

#ifdef HAVE_OPENCV_DESMOOTH

#include <memory>
#include <string>

namespace {

/** Drops a reference to a Python object from any thread: the smoother holding it may be released by C++
 * code that runs without the GIL. After the interpreter has finalised, the reference is left. */
struct PythonReferenceDrop
{
    void operator()(PyObject* object) const
    {
        if (!Py_IsInitialized()) return;
        const PyGILState_STATE state = PyGILState_Ensure();
        Py_DECREF(object);
        PyGILState_Release(state);
    }
};

/** The pending Python exception as "TypeName: message", cleared (the caller holds the GIL). */
std::string takePythonError()
{
    PyObject *type = NULL, *value = NULL, *traceback = NULL;
    PyErr_Fetch(&type, &value, &traceback);
    std::string text = type ? ((PyTypeObject*)type)->tp_name : "an unknown error";
    if (value) {
        PyObject* message = PyObject_Str(value);
        std::string str;
        if (message && getUnicodeString(message, str) && !str.empty()) text += ": " + str;
        Py_XDECREF(message);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
    PyErr_Clear();
    return text;
}

/** Calls `function(src)` under the GIL and copies what it returns into dst (a plain Mat, so that nothing of
 * Python's outlives the call); what it raises becomes a cv::Exception naming the smoother. */
void callPythonSmoother(PyObject* function, const std::string& name, const cv::Mat& src, cv::Mat& dst)
{
    const PyGILState_STATE state = PyGILState_Ensure();
    std::string failure;
    PyObject* image = pyopencv_from(src);
    PyObject* result = image ? PyObject_CallFunctionObjArgs(function, image, NULL) : NULL;
    if (!result) {
        failure = "the function raised " + takePythonError();
    } else if (result == Py_None) {
        failure = "the function returned None, not an image";
    } else {
        cv::Mat returned;
        if (pyopencv_to(result, returned, ArgInfo("the function's result", false)))
            returned.copyTo(dst);
        else
            failure = "the function returned " + std::string(Py_TYPE(result)->tp_name) + ", not an image (" +
                      takePythonError() + ")";
    }
    Py_XDECREF(image);
    Py_XDECREF(result);
    PyGILState_Release(state);
    if (!failure.empty()) CV_Error(cv::Error::StsError, "smoother '" + name + "': " + failure);
}

} // namespace

static PyObject* pyopencv_cv_desmooth_Smoother_createFromFunction(PyObject*, PyObject* args, PyObject* kw)
{
    const char* keywords[] = {"function", "name", "depth", NULL};
    PyObject* function = NULL;
    char* name = NULL;
    int depth = CV_32F;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "Os|i:Smoother_createFromFunction", (char**)keywords,
                                     &function, &name, &depth))
        return NULL;
    if (!PyCallable_Check(function)) {
        PyErr_SetString(PyExc_TypeError, "Smoother_createFromFunction: function must be callable");
        return NULL;
    }
    Py_INCREF(function);
    const std::shared_ptr<PyObject> held(function, PythonReferenceDrop());
    const std::string label(name);
    Ptr<cv::desmooth::Smoother> smoother;
    ERRWRAP2(smoother = cv::desmooth::Smoother::createFromFunction(
                 [held, label](const cv::Mat& src, cv::Mat& dst) {
                     callPythonSmoother(held.get(), label, src, dst);
                 },
                 label, depth));
    return pyopencv_desmooth_Smoother_Instance(smoother);
}

// clang-format off
#define PYOPENCV_EXTRA_METHODS_DESMOOTH \
    {"Smoother_createFromFunction", CV_PY_FN_WITH_KW(pyopencv_cv_desmooth_Smoother_createFromFunction), \
     "Smoother_createFromFunction(function, name[, depth]) -> retval\n.   @brief A smoother of one's own: " \
     "function(image) -> image, for reverseFilter() and DeSmoother.recover(image, smoother). It gets the " \
     "colour planes as float32 on the 0..255 scale, or as uint8 with depth=cv2.CV_8U, and must return " \
     "their shape; what it raises comes back as cv2.error."},
// clang-format on

#endif // HAVE_OPENCV_DESMOOTH
